using BitEarth.Core.Hashing;
using BitEarth.Core.Patches;

namespace BitEarth.Core.Tests.Hashing;

public class MultiCodeHasherTests
{
    private static readonly float[] Forest = SyntheticPatches.Spectrum(1);
    private static readonly float[] Urban = SyntheticPatches.Spectrum(3);
    private static readonly float[] Water = SyntheticPatches.Spectrum(0);

    /// <summary>Forest top-left quadrant, urban elsewhere except water bottom-right.</summary>
    private static readonly BitEarth.Core.Patches.Patch Mixed = SyntheticPatches.Filled("mixed", 20, 20,
        (b, x, y) => x < 10 && y < 10 ? Forest[b] : x >= 10 && y >= 10 ? Water[b] : Urban[b]);

    [Fact]
    public void Whole_patch_code_comes_first_then_one_code_per_tile()
    {
        var hasher = new MultiCodeHasher(LshHasher.Create(64, 4), grid: 2);
        var codes = hasher.HashMany(Mixed);
        Assert.Equal(5, codes.Count);
        Assert.Equal(hasher.Hash(Mixed), codes[0]);
        Assert.Equal(hasher.Bits, codes[0].Bits);
        Assert.StartsWith("multi2x2-lsh-64-s4-", hasher.Version);
    }

    [Fact]
    public void A_patch_of_one_cover_matches_the_tile_that_has_it()
    {
        var hasher = new MultiCodeHasher(LshHasher.Create(64, 4), grid: 2);
        var forest = SyntheticPatches.Uniform("forest", Forest, 7);
        // A uniform tile and a uniform patch of the same spectrum have the same descriptor whatever their sizes.
        Assert.Equal(0, MultiCodeDistance.Min(hasher.HashMany(forest), hasher.HashMany(Mixed)));
        Assert.True(hasher.Hash(forest).DistanceTo(hasher.Hash(Mixed)) > 0);
    }

    [Fact]
    public void Save_then_load_gives_identical_codes()
    {
        var hasher = new MultiCodeHasher(LshHasher.Create(32, 8), grid: 3);
        var file = new MemoryStream();
        hasher.Save(file);
        file.Position = 0;
        var loaded = Assert.IsType<MultiCodeHasher>(HasherKinds.BuiltIn.Load(file));
        Assert.Equal(hasher.Version, loaded.Version);
        Assert.Equal(hasher.HashMany(Mixed), loaded.HashMany(Mixed));
    }

    [Fact]
    public void Patch_smaller_than_the_grid_is_refused()
    {
        var hasher = new MultiCodeHasher(LshHasher.Create(32, 8), grid: 3);
        Assert.Throws<ArgumentException>(() => hasher.HashMany(SyntheticPatches.Uniform("tiny", Forest, 2)));
    }
}
