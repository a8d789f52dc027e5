using System.Globalization;
using BitEarth.Core.Patches;

namespace BitEarth.Core.Synthetic;

/// <summary>
/// Dated pairs for query by change: places seen twice, two years apart in the same season, as S2/S1 pairs in the
/// synthetic archive's blob format. Between the dates every region of one class turns into another
/// (<see cref="Transitions"/>: forest -> bare soil, crop -> water, urban growth, forest -> crop) or nothing changes;
/// the rest of the place keeps its regions and only its noise and a seasonal brightness factor are drawn anew. The
/// places lie south of the plain archive's grid (rows from <see cref="FirstRow"/>), so no footprint or id is shared
/// with it; a place's two dates share their footprint exactly, which is how the archive finds its pairs. Places take
/// the transitions in turn, so each transition has the same number of places (give a multiple of their count).
/// </summary>
public static class SyntheticChanges
{
    /// <summary>Grid row of the first place: below the plain archive's 90 rows.</summary>
    public const int FirstRow = 100;

    public static readonly IReadOnlyList<SyntheticTransition> Transitions =
    [
        new("unchanged", null, null),
        new("forest -> bare soil", "Broad-leaved forest", SyntheticLandCover.BareSoil.Name43),
        new("crop -> water", "Non-irrigated arable land", "Water bodies"),
        new("urban growth", "Pastures", "Discontinuous urban fabric"),
        new("forest -> crop", "Coniferous forest", "Non-irrigated arable land"),
    ];

    /// <summary>The transition of place <paramref name="place"/> (they are taken in turn).</summary>
    public static SyntheticTransition TransitionOf(int place) => Transitions[place % Transitions.Count];

    /// <summary>
    /// Yields, per place, four blobs: the S2 and S1 patches of the first date, then those of the second
    /// (<c>bigearthnet/S2/&lt;id&gt;.zip</c>, <c>bigearthnet/S1/&lt;id&gt;.zip</c>). The same seed gives the same bytes.
    /// </summary>
    public static IEnumerable<PatchBlob> Generate(int placeCount, int seed)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(placeCount);
        for (int place = 0; place < placeCount; place++)
        {
            var random = new SplitMix64(((ulong)(uint)seed << 32) ^ (uint)place ^ 0xC4A46E5000000000UL);
            var transition = TransitionOf(place);
            var before = LayoutWith(transition, ref random);
            var after = before with
            {
                Classes = [.. before.Classes.Select(c => c.Name43 == transition.From ? SyntheticLandCover.Named(transition.To!) : c)],
            };
            // Another year, another sun and moisture: one brightness factor over the whole place.
            float season = 1f + 0.04f * random.Gaussian();
            after = after with { Brightness = [.. after.Brightness.Select(b => b * season)] };

            var first = new DateTime(2017, 6, 1, 10, 10, 31, DateTimeKind.Utc).AddDays(random.Below(90));
            var second = first.AddDays(730 + random.Below(30));
            int row = FirstRow + place / 90, column = place % 90;
            foreach (var blob in Date(before, first, row, column, ref random)) yield return blob;
            foreach (var blob in Date(after, second, row, column, ref random)) yield return blob;
        }
    }

    // The classes of the first date: the transition's source class among 0-2 others, never its target (so the change
    // shows in the labels); unchanged places take 1-3 classes. A source class lost to coinciding seeds is drawn again.
    private static SyntheticArchive.RegionLayout LayoutWith(SyntheticTransition transition, ref SplitMix64 random)
    {
        while (true)
        {
            var others = SyntheticLandCover.All.Where(c => c.Name43 != transition.From && c.Name43 != transition.To).ToArray();
            SyntheticLandCover[] classes = transition.From is null
                ? SyntheticArchive.Shuffled(others, ref random)[..(1 + random.Below(3))]
                : SyntheticArchive.Shuffled([SyntheticLandCover.Named(transition.From), .. SyntheticArchive.Shuffled(others, ref random)[..random.Below(3)]], ref random);
            var layout = SyntheticArchive.Regions(classes, ref random);
            if (transition.From is null || layout.Classes.Any(c => c.Name43 == transition.From)) return layout;
        }
    }

    private static IEnumerable<PatchBlob> Date(SyntheticArchive.RegionLayout layout, DateTime date, int row, int column, ref SplitMix64 random)
    {
        var s2Id = $"S2A_MSIL2A_{date:yyyyMMdd'T'HHmmss}_{row}_{column}";
        var s1Id = $"S1A_IW_GRDH_1SDV_{date.AddHours(7):yyyyMMdd'T'HHmmss}_33UUP_{row}_{column}";
        var labels = layout.Classes.Select(c => c.Name43).ToArray();
        return
        [
            SyntheticArchive.Zip($"bigearthnet/S2/{s2Id}.zip", s2Id, SyntheticArchive.S2Bands(layout, ref random), SyntheticArchive.Metadata(labels,
                "acquisition_date", date.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture), "corresponding_s1_patch", s1Id, row, column, "lry")),
            SyntheticArchive.Zip($"bigearthnet/S1/{s1Id}.zip", s1Id, SyntheticArchive.S1Bands(layout, ref random), SyntheticArchive.Metadata(labels,
                "acquisition_time", date.AddHours(7).ToString("yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture), "corresponding_s2_patch", s2Id, row, column, "lly")),
        ];
    }
}

/// <summary>A land-cover transition of the synthetic change pairs: every region of <see cref="From"/> becomes <see cref="To"/> (43-class names; both null: unchanged).</summary>
public sealed record SyntheticTransition(string Name, string? From, string? To);
