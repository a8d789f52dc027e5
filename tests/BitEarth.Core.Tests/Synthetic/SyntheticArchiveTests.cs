using System.Diagnostics;
using BitEarth.Core.Patches;
using BitEarth.Core.Synthetic;
using Xunit.Abstractions;

namespace BitEarth.Core.Tests.Synthetic;

public class SyntheticArchiveTests(ITestOutputHelper output)
{
    private static readonly List<PatchBlob> Blobs = SyntheticArchive.Generate(60, seed: 7).ToList();
    private static readonly List<Patch> Patches = Blobs.Select(b => PatchBlobReader.Read(b.Name, new MemoryStream(b.Content))).ToList();

    [Fact]
    public void Same_seed_gives_the_same_bytes_and_another_seed_other_bytes()
    {
        var again = SyntheticArchive.Generate(60, seed: 7).ToList();
        Assert.Equal(Blobs.Select(b => b.Name), again.Select(b => b.Name));
        Assert.All(Blobs.Zip(again), pair => Assert.Equal(pair.First.Content, pair.Second.Content));
        var other = SyntheticArchive.Generate(3, seed: 8).ToList();
        Assert.NotEqual(Blobs[0].Content, other[0].Content);
    }

    [Fact]
    public void Seed_fixes_the_bytes_across_processes_and_runtime_versions()
    {
        var first = SyntheticArchive.Generate(1, seed: 42).First();
        var hash = Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(first.Content));
        Assert.True(hash == Golden, $"SHA-256 {hash}; update Golden only for an intended change of the generator");
    }

    // Changed when the metadata gained its UTM projection (the explorer's footprints need the EPSG code).
    private const string Golden = "51D9026DB681BF70F7A5ABE47793A1E56ECFC4AF47F6F71290434620B7450418";

    [Fact]
    public void Blobs_are_S2_then_paired_S1_with_unique_BigEarthNet_style_ids()
    {
        Assert.Equal(120, Blobs.Count);
        Assert.Equal(Patches.Count, Patches.Select(p => p.Id).Distinct().Count());
        for (int i = 0; i < Patches.Count; i += 2)
        {
            var (s2, s1) = (Patches[i], Patches[i + 1]);
            Assert.Equal($"bigearthnet/S2/{s2.Id}.zip", Blobs[i].Name);
            Assert.Equal($"bigearthnet/S1/{s1.Id}.zip", Blobs[i + 1].Name);
            Assert.Matches(@"^S2A_MSIL2A_\d{8}T\d{6}_\d+_\d+$", s2.Id);
            Assert.Matches(@"^S1A_IW_GRDH_1SDV_\d{8}T\d{6}_33UUP_\d+_\d+$", s1.Id);
            Assert.Equal((Modality.S2, Modality.S1), (s2.Modality, s1.Modality));
            Assert.Equal((s1.Id, s2.Id), (s2.PairedId, s1.PairedId));
            Assert.Equal(s2.Labels, s1.Labels);
            Assert.NotNull(s2.AcquiredAt);
        }
    }

    [Fact]
    public void Patches_carry_1_to_4_known_labels_and_every_cardinality_occurs()
    {
        Assert.All(Patches, p => Assert.All(p.Labels, l => Assert.True(LandCoverClasses.IsName43(l), l)));
        Assert.Equal([1, 2, 3, 4], Patches.Select(p => p.Labels.Count).Distinct().Order());
    }

    [Fact]
    public void Coarse_bands_are_written_at_native_resolution()
    {
        using var zip = new System.IO.Compression.ZipArchive(new MemoryStream(Blobs[0].Content));
        var sizes = zip.Entries.Where(e => e.Name.EndsWith(".tif", StringComparison.Ordinal)).ToDictionary(e => e.Name[^7..^4], e => e.Length);
        Assert.True(sizes["B01"] < sizes["B05"] && sizes["B05"] < sizes["B02"], string.Join(",", sizes));
    }

    [Fact]
    public void Spectra_and_backscatter_separate_vegetation_water_and_towns()
    {
        var pure = Patches.Where(p => p.Labels.Count == 1).ToList();
        Assert.NotEmpty(pure);
        foreach (var patch in pure)
        {
            var label = patch.Labels[0];
            if (patch.Modality == Modality.S2)
            {
                double red = Mean(patch, "B04"), nir = Mean(patch, "B08");
                double ndvi = (nir - red) / (nir + red);
                if (label.Contains("forest") || label == "Pastures")
                    Assert.True(ndvi > 0.6, $"{label} NDVI {ndvi}");
                if (label is "Water bodies" or "Sea and ocean")
                    Assert.True(ndvi < 0, $"{label} NDVI {ndvi}");
            }
            else
            {
                double vv = Mean(patch, "VV");
                if (label is "Water bodies" or "Sea and ocean")
                    Assert.True(vv < -14, $"{label} VV {vv} dB");
                if (label == "Discontinuous urban fabric")
                    Assert.True(vv > -6, $"{label} VV {vv} dB");
                var values = patch.Band(0).ToArray();
                double sd = Math.Sqrt(values.Average(v => (v - vv) * (v - vv)));
                Assert.InRange(sd, 1.5, 5.0); // 4-look gamma speckle alone is about 2.3 dB
            }
        }
    }

    [Fact]
    public void Generation_time_is_reported()
    {
        var watch = Stopwatch.StartNew();
        int blobs = SyntheticArchive.Generate(100, seed: 1).Count();
        watch.Stop();
        Assert.Equal(200, blobs);
        output.WriteLine($"{watch.Elapsed.TotalMilliseconds / 100:F1} ms per S2+S1 pair");
    }

    private static double Mean(Patch patch, string band) =>
        patch.Band(patch.BandNames.ToList().IndexOf(band)).ToArray().Average();
}
