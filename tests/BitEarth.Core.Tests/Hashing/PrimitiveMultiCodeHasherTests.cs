using BitEarth.Core.Hashing;
using BitEarth.Core.Patches;

namespace BitEarth.Core.Tests.Hashing;

public class PrimitiveMultiCodeHasherTests
{
    private static readonly List<Patch> Sample = SyntheticPatches.LabelledSet("mch", 16, 24, seed: 3);

    private static readonly PrimitiveMultiCodeHasher Fitted = PrimitiveMultiCodeHasher.Fit(Sample, 32, 5, primitives: 4, regions: 9);

    [Fact]
    public void A_patch_gets_one_code_per_primitive_it_contains_in_primitive_order()
    {
        Assert.StartsWith("mch-32-s5-", Fitted.Version);
        foreach (var patch in Sample)
        {
            var clusters = Fitted.PrimitiveClusters(patch);
            var codes = Fitted.HashMany(patch);
            Assert.InRange(codes.Count, 1, Fitted.Primitives(Modality.S2));
            Assert.Equal(clusters.Count, codes.Count);
            Assert.Equal(clusters.Select(c => c.Primitive).Order(), clusters.Select(c => c.Primitive));
            // Every pixel of the patch belongs to exactly one primitive's cluster.
            Assert.Equal(patch.Width * patch.Height, clusters.Sum(c => c.Pixels.Width));
            Assert.All(codes, c => Assert.Equal(32, c.Bits));
        }
    }

    [Fact]
    public void Two_halves_of_different_cover_fall_into_different_primitives()
    {
        var halves = SyntheticPatches.Filled("halves", 24, 24, (b, x, _) => x < 12 ? SyntheticPatches.Spectrum(1)[b] : SyntheticPatches.Spectrum(0)[b]);
        var clusters = Fitted.PrimitiveClusters(halves);
        Assert.Equal(2, clusters.Count);
        Assert.All(clusters, c => Assert.Equal(24 * 12, c.Pixels.Width));
    }

    [Fact]
    public void Save_then_load_through_the_registry_gives_identical_codes()
    {
        var file = new MemoryStream();
        Fitted.Save(file);
        file.Position = 0;
        var loaded = Assert.IsType<PrimitiveMultiCodeHasher>(HasherKinds.BuiltIn.Load(file));
        Assert.Equal(Fitted.Version, loaded.Version);
        foreach (var patch in Sample.Take(5))
        {
            Assert.Equal(Fitted.Hash(patch), loaded.Hash(patch));
            Assert.Equal(Fitted.HashMany(patch), loaded.HashMany(patch));
        }
    }

    [Fact]
    public void A_file_whose_primitives_were_edited_is_refused()
    {
        var file = new MemoryStream();
        Fitted.Save(file);
        var text = System.Text.Encoding.UTF8.GetString(file.ToArray()).Replace("\"weights\":[", "\"weights\":[0.5,", StringComparison.Ordinal);
        Assert.Throws<HasherFormatException>(() => HasherKinds.BuiltIn.Load(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(text))));
    }

    [Fact]
    public void Texture_which_needs_the_pixel_grid_is_refused_as_a_region_descriptor()
    {
        var lbp = PatchDescriptor.Fit("spectral+lbp", Sample, seed: 5);
        var e = Assert.Throws<ArgumentException>(() => PrimitiveMultiCodeHasher.Fit(Sample, 32, 5, lbp));
        Assert.Contains("LBP", e.Message);
    }

    [Fact]
    public void A_fit_is_a_pure_function_of_sample_and_seed()
    {
        var again = PrimitiveMultiCodeHasher.Fit(Sample, 32, 5, primitives: 4, regions: 9);
        Assert.Equal(Fitted.Version, again.Version);
        Assert.NotEqual(Fitted.Version, PrimitiveMultiCodeHasher.Fit(Sample, 32, 6, primitives: 4, regions: 9).Version);
    }
}
