using BitEarth.Core.Hashing;
using BitEarth.Core.Patches;

namespace BitEarth.Core.Tests.Hashing;

public class PatchDescriptorTests
{
    [Theory]
    [InlineData(0b0000_0000, 0)]
    [InlineData(0b1111_1111, 8)]
    [InlineData(0b0000_0111, 3)]
    [InlineData(0b1100_0001, 3)] // uniform across the wrap-around
    [InlineData(0b0101_0101, 9)] // 8 transitions: not uniform
    [InlineData(0b0001_0001, 9)]
    public void Lbp_labels_uniform_patterns_by_their_set_neighbours_and_the_rest_as_one_bin(int pattern, int bin) =>
        Assert.Equal(bin, LocalBinaryPatterns.Bin(pattern));

    [Fact]
    public void Lbp_ignores_gain_and_offset_and_tells_stripes_from_a_flat_field()
    {
        var random = new Random(3);
        var textured = SyntheticPatches.Filled("t", 32, 32, (b, x, y) => 1000 + 50 * b + (float)random.NextDouble() * 500);
        var brighter = textured with { Pixels = textured.Pixels.Select(v => 2 * v + 300).ToArray() };
        var flat = SyntheticPatches.Uniform("f", SyntheticPatches.Spectrum(1), 32);
        var stripes = SyntheticPatches.Filled("s", 32, 32, (b, x, y) => x % 4 < 2 ? 500 : 2500);

        Assert.Equal(LocalBinaryPatterns.Compute(textured), LocalBinaryPatterns.Compute(brighter));
        var flatLbp = LocalBinaryPatterns.Compute(flat);
        Assert.Equal(1.0, flatLbp[8], 9); // every neighbour equals the centre: all set, one uniform pattern
        Assert.NotEqual(flatLbp, LocalBinaryPatterns.Compute(stripes));
        Assert.Equal(LocalBinaryPatterns.Length(Modality.S2), flatLbp.Length);
        for (int h = 0; h < flatLbp.Length; h += 10) Assert.Equal(1.0, flatLbp.Skip(h).Take(10).Sum(), 9);
    }

    [Fact]
    public void Lbp_is_unchanged_by_a_quarter_turn_of_the_patch()
    {
        var random = new Random(5);
        var patch = SyntheticPatches.Filled("r", 24, 24, (b, x, y) => (float)random.NextDouble() * 3000);
        var turned = SyntheticPatches.Filled("r90", 24, 24, (b, x, y) => patch.Band(b)[x * 24 + (23 - y)]);

        Assert.Equal(LocalBinaryPatterns.Compute(patch), LocalBinaryPatterns.Compute(turned));
    }

    [Fact]
    public void Spectral_words_histogram_sums_to_one_and_separates_classes_whose_band_means_agree()
    {
        var sample = SyntheticPatches.LabelledSet("w", 40, 16, seed: 7);
        var words = SpectralWords.Fit(Modality.S2, sample, 8, seed: 1);
        var water = new double[words.Length];
        var forest = new double[words.Length];
        words.Compute(SyntheticPatches.Uniform("a", SyntheticPatches.Spectrum(0), 16), water);
        words.Compute(SyntheticPatches.Uniform("b", SyntheticPatches.Spectrum(1), 16), forest);

        Assert.Equal(1.0, water.Sum(), 9);
        Assert.Equal(1.0, forest.Sum(), 9);
        Assert.NotEqual(Array.IndexOf(water, water.Max()), Array.IndexOf(forest, forest.Max()));
    }

    [Fact]
    public void Selections_are_canonical_and_bad_ones_are_refused()
    {
        Assert.Equal(["spectral-v1", "lbp-v1", "bosv-v1"], PatchDescriptor.Parse("bosv+lbp+spectral"));
        Assert.Contains("Unknown descriptor 'sift'", Assert.Throws<ArgumentException>(() => PatchDescriptor.Parse("spectral+sift")).Message);
        Assert.Contains("named twice", Assert.Throws<ArgumentException>(() => PatchDescriptor.Parse("lbp+lbp")).Message);
    }

    [Theory]
    [InlineData("lsh")]
    [InlineData("kulsh")]
    [InlineData("ksh")]
    public void Hashers_over_every_descriptor_save_and_load_to_the_same_codes_and_version(string kind)
    {
        var sample = SyntheticPatches.LabelledSet("d", 30, 16, seed: 11);
        var descriptor = PatchDescriptor.Fit("spectral+lbp+bosv", sample, seed: 2, words: 8);
        IPatchHasher hasher = kind switch
        {
            "lsh" => LshHasher.Fit(sample, 32, 4, descriptor),
            "kulsh" => KernelLshHasher.Fit(sample, 32, 4, anchorCount: 16, subsetSize: 4, descriptor: descriptor),
            _ => SupervisedKernelHasher.Fit(sample, 32, 4, anchorCount: 16, descriptor: descriptor),
        };
        using var file = new MemoryStream();
        hasher.Save(file);
        file.Position = 0;
        var loaded = HasherKinds.BuiltIn.Load(file);

        Assert.StartsWith($"{kind}-32-", hasher.Version);
        Assert.Equal(hasher.Version, loaded.Version);
        Assert.Equal([Modality.S2], loaded.Modalities);
        Assert.All(sample.Take(10), p => Assert.Equal(hasher.Hash(p), loaded.Hash(p)));
    }

    [Fact]
    public void A_spectral_only_hasher_file_is_what_it_was_before_descriptors_were_selectable()
    {
        using var file = new MemoryStream();
        LshHasher.Create(64, 42).Save(file);
        var json = System.Text.Encoding.UTF8.GetString(file.ToArray());

        Assert.Contains("\"descriptor\":\"spectral-v1\"", json);
        Assert.DoesNotContain("\"words\"", json);
        Assert.Equal([Modality.S1, Modality.S2], LshHasher.Create(64, 42).Modalities.Order());
    }

    [Fact]
    public void A_file_naming_spectral_words_without_them_is_refused()
    {
        var sample = SyntheticPatches.LabelledSet("x", 12, 16, seed: 13);
        using var file = new MemoryStream();
        LshHasher.Fit(sample, 16, 1, PatchDescriptor.Fit("bosv", sample, seed: 1, words: 4)).Save(file);
        var json = System.Text.Encoding.UTF8.GetString(file.ToArray());
        var stripped = json[..json.IndexOf(",\"words\"", StringComparison.Ordinal)] + "}";

        var refused = Assert.Throws<HasherFormatException>(() => HasherKinds.BuiltIn.Load(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(stripped))));
        Assert.Contains("needs its spectral words", refused.Reason);
    }
}
