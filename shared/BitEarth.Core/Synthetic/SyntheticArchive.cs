using System.Globalization;
using System.IO.Compression;
using System.Text.Json;
using BitEarth.Core.Patches;

namespace BitEarth.Core.Synthetic;

/// <summary>
/// A demo archive for machines without real data: paired Sentinel-2 / Sentinel-1 patches in exactly the ingest
/// blob format of real BigEarthNet patches (<see cref="PatchBlobReader"/>), so the demo exercises the real reader.
/// Each patch mixes 1-4 land-cover classes in Voronoi regions; S2 bands carry class spectra with per-region
/// brightness and per-pixel noise at their native resolution (20 px for 60 m, 60 px for 20 m bands), S1 bands
/// class backscatter with multiplicative gamma speckle. Labels are the classes present (43-class names); each
/// S2 patch's metadata names its S1 partner and vice versa. The same seed gives the same bytes.
/// </summary>
public static class SyntheticArchive
{
    private const int Grid = BigEarthNetReader.GridSize;
    internal const int PatchesPerScene = 90 * 90;

    // 60 m bands are stored at 20 px, 20 m bands at 60 px, as BigEarthNet distributes them.
    private static readonly int[] Downscale = [6, 1, 1, 1, 2, 2, 2, 1, 2, 6, 2, 2];

    // Equivalent number of looks of BigEarthNet's GRD patches (about 4-5 for IW GRDH).
    private const int Looks = 4;

    /// <summary>Yields <paramref name="patchCount"/> pairs: <c>bigearthnet/S2/&lt;id&gt;.zip</c> then its <c>bigearthnet/S1/&lt;id&gt;.zip</c>.</summary>
    public static IEnumerable<PatchBlob> Generate(int patchCount, int seed)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(patchCount);
        for (int i = 0; i < patchCount; i++)
        {
            // One generator per patch keeps each patch independent of how many come before it.
            var random = new SplitMix64(((ulong)(uint)seed << 32) | (uint)i);
            var scene = Scene(seed, i);
            var s2Id = $"S2A_MSIL2A_{scene:yyyyMMdd'T'HHmmss}_{i % PatchesPerScene / 90}_{i % 90}";
            var s1Id = $"S1A_IW_GRDH_1SDV_{scene.AddHours(7):yyyyMMdd'T'HHmmss}_33UUP_{i % PatchesPerScene / 90}_{i % 90}";
            var layout = Layout(ref random);
            var labels = layout.Classes.Select(c => c.Name43).ToArray();

            yield return Zip($"bigearthnet/S2/{s2Id}.zip", s2Id, S2Bands(layout, ref random), Metadata(labels, "acquisition_date",
                scene.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture), "corresponding_s1_patch", s1Id, i % PatchesPerScene / 90, i % 90, "lry"));
            yield return Zip($"bigearthnet/S1/{s1Id}.zip", s1Id, S1Bands(layout, ref random), Metadata(labels, "acquisition_time",
                scene.AddHours(7).ToString("yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture), "corresponding_s2_patch", s2Id, i % PatchesPerScene / 90, i % 90, "lly"));
        }
    }

    private static DateTime Scene(int seed, int index)
    {
        var first = new DateTime(2017, 6, 1, 10, 10, 31, DateTimeKind.Utc);
        var random = new SplitMix64(((ulong)(uint)seed << 32) ^ (uint)(index / PatchesPerScene) ^ 0x5CE9E5UL);
        return first.AddDays(random.Below(360));
    }

    /// <summary>Which class covers each 10 m pixel, plus a brightness factor per region.</summary>
    internal sealed record RegionLayout(SyntheticLandCover[] Classes, int[] ClassOf, float[] Brightness);

    private static RegionLayout Layout(ref SplitMix64 random)
    {
        // 1-4 classes, 2 and 3 most often, as in BigEarthNet's label cardinality.
        int count = random.Below(10) switch { < 2 => 1, < 6 => 2, < 9 => 3, _ => 4 };
        return Regions(Shuffled(SyntheticLandCover.All, ref random)[..count], ref random);
    }

    /// <summary>Voronoi regions over <paramref name="classes"/>: each owns at least one region unless two seeds coincide.</summary>
    internal static RegionLayout Regions(SyntheticLandCover[] classes, ref SplitMix64 random)
    {
        int count = classes.Length;
        int seeds = count + random.Below(4);
        var seedX = new int[seeds];
        var seedY = new int[seeds];
        var seedClass = new int[seeds];
        var brightness = new float[seeds];
        for (int s = 0; s < seeds; s++)
        {
            (seedX[s], seedY[s]) = (random.Below(Grid), random.Below(Grid));
            seedClass[s] = s < count ? s : random.Below(count); // every chosen class owns at least one region
            brightness[s] = 1f + 0.08f * random.Gaussian();
        }
        var regionOf = new int[Grid * Grid];
        for (int y = 0; y < Grid; y++)
            for (int x = 0; x < Grid; x++)
            {
                int best = 0, bestDistance = int.MaxValue;
                for (int s = 0; s < seeds; s++)
                {
                    int d = (x - seedX[s]) * (x - seedX[s]) + (y - seedY[s]) * (y - seedY[s]);
                    if (d < bestDistance)
                        (best, bestDistance) = (s, d);
                }
                regionOf[y * Grid + x] = best;
            }
        // A seed pixel is always nearest to its own seed unless two seeds coincide; keep only classes present.
        var present = regionOf.Select(r => seedClass[r]).Distinct().Order().ToArray();
        return new RegionLayout(present.Select(c => classes[c]).ToArray(),
            regionOf.Select(r => Array.IndexOf(present, seedClass[r])).ToArray(),
            regionOf.Select(r => brightness[r]).ToArray());
    }

    internal static SyntheticLandCover[] Shuffled(IReadOnlyList<SyntheticLandCover> all, ref SplitMix64 random)
    {
        var copy = all.ToArray();
        for (int i = copy.Length - 1; i > 0; i--)
        {
            int j = random.Below(i + 1);
            (copy[i], copy[j]) = (copy[j], copy[i]);
        }
        return copy;
    }

    internal static List<(string Band, byte[] Tiff)> S2Bands(RegionLayout layout, ref SplitMix64 random)
    {
        var bands = new List<(string, byte[])>(Bands.S2.Count);
        for (int b = 0; b < Bands.S2.Count; b++)
        {
            int f = Downscale[b], size = Grid / f;
            var pixels = new ushort[size * size];
            for (int y = 0; y < size; y++)
                for (int x = 0; x < size; x++)
                {
                    // The coarse pixel takes the class and region at its centre on the 10 m grid.
                    int at = (y * f + f / 2) * Grid + x * f + f / 2;
                    float mean = layout.Classes[layout.ClassOf[at]].Spectrum[b] * layout.Brightness[at];
                    // 4 % multiplicative texture plus 15 DN sensor noise, drawn as one normal of their combined spread.
                    float value = mean + MathF.Sqrt(0.0016f * mean * mean + 225f) * random.Gaussian();
                    pixels[y * size + x] = (ushort)Math.Clamp(MathF.Round(value), 1f, 65535f);
                }
            bands.Add((Bands.S2[b], BandTiffWriter.Reflectance(size, size, pixels)));
        }
        return bands;
    }

    internal static List<(string Band, byte[] Tiff)> S1Bands(RegionLayout layout, ref SplitMix64 random)
    {
        var bands = new List<(string, byte[])>(Bands.S1.Count);
        for (int b = 0; b < Bands.S1.Count; b++)
        {
            var pixels = new float[Grid * Grid];
            for (int p = 0; p < pixels.Length; p++)
            {
                var cover = layout.Classes[layout.ClassOf[p]];
                float db = (b == 0 ? cover.VvDb : cover.VhDb) + 10f * MathF.Log10(layout.Brightness[p]);
                // Fully developed speckle multiplies intensity by Gamma(L looks, mean 1).
                pixels[p] = db + 10f * MathF.Log10(random.GammaUnitMean(Looks));
            }
            bands.Add((Bands.S1[b], BandTiffWriter.Backscatter(Grid, Grid, pixels)));
        }
        return bands;
    }

    internal static byte[] Metadata(string[] labels, string dateKey, string date, string pairKey, string pairId,
        int row, int column, string lowerRightKey)
    {
        // A notional UTM 33N footprint: patches tile a grid of 1.2 km cells, as BigEarthNet's do.
        double ulx = 300000 + column * 1200, uly = 5400000 - row * 1200;
        var coordinates = new Dictionary<string, double> { ["ulx"] = ulx, ["uly"] = uly, ["lrx"] = ulx + 1200, [lowerRightKey] = uly - 1200 };
        return JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, object>
        {
            ["labels"] = labels,
            ["coordinates"] = coordinates,
            ["projection"] = "PROJCS[\"WGS 84 / UTM zone 33N\",PROJECTION[\"Transverse_Mercator\"],PARAMETER[\"central_meridian\",15],AUTHORITY[\"EPSG\",\"32633\"]]",
            [dateKey] = date,
            [pairKey] = pairId,
            ["synthetic"] = true,
        });
    }

    internal static PatchBlob Zip(string blobName, string id, IEnumerable<(string Band, byte[] Tiff)> bands, byte[] metadata)
    {
        using var buffer = new MemoryStream();
        using (var zip = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var (band, tiff) in bands)
                Write(zip, $"{id}/{id}_{band}.tif", tiff);
            Write(zip, $"{id}/{id}{BigEarthNetMetadata.FileSuffix}", metadata);
        }
        return new PatchBlob(blobName, buffer.ToArray());
    }

    private static void Write(ZipArchive zip, string name, byte[] data)
    {
        // Stored, not deflated: noisy pixels barely compress and deflating cost more than generating them.
        // A fixed timestamp keeps the zip bytes identical for the same seed.
        var entry = zip.CreateEntry(name, CompressionLevel.NoCompression);
        entry.LastWriteTime = new DateTimeOffset(2017, 6, 1, 0, 0, 0, TimeSpan.Zero);
        using var stream = entry.Open();
        stream.Write(data);
    }
}
