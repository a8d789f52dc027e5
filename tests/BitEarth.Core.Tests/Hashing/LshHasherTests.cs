using System.Text;
using System.Text.Json.Nodes;
using BitEarth.Core.Codes;
using BitEarth.Core.Hashing;
using BitEarth.Core.Patches;
using FsCheck.Xunit;

namespace BitEarth.Core.Tests.Hashing;

public class LshHasherTests
{
    private static readonly List<Patch> Sample = SyntheticPatches.LabelledSet("s", 40, 16, seed: 5)
        .Concat(Enumerable.Range(0, 10).Select(i => SyntheticPatches.S1($"r{i}", -8 - i, -15 - i, 16, new Random(i))))
        .ToList();

    [Fact]
    public void Same_seed_gives_same_version_and_codes_and_a_different_seed_does_not()
    {
        var a = LshHasher.Create(64, 42);
        var b = LshHasher.Create(64, 42);
        var c = LshHasher.Create(64, 43);
        Assert.Equal(a.Version, b.Version);
        Assert.StartsWith("lsh-64-s42-", a.Version);
        Assert.NotEqual(a.Version, c.Version);
        Assert.All(Sample, p => Assert.Equal(a.Hash(p), b.Hash(p)));
        Assert.NotEqual(Sample.Select(a.Hash), Sample.Select(c.Hash));
    }

    [Fact]
    public void Fitted_and_default_standardisation_are_different_versions()
    {
        var fitted = LshHasher.Fit(Sample, 64, 42);
        Assert.Equal(fitted.Version, LshHasher.Fit(Sample, 64, 42).Version);
        Assert.NotEqual(LshHasher.Create(64, 42).Version, fitted.Version);
        Assert.NotEqual(fitted.Version, LshHasher.Fit(Sample.Skip(1), 64, 42).Version);
        Assert.Equal(new HashSet<Modality> { Modality.S1, Modality.S2 }, fitted.Modalities);
        Assert.Equal(32, LshHasher.Fit(Sample, 32, 42).Bits);
    }

    [Fact]
    public void Save_then_load_gives_identical_codes_and_version()
    {
        foreach (var hasher in new[] { LshHasher.Create(64, 7), LshHasher.Fit(Sample, 128, 9) })
        {
            var file = new MemoryStream();
            hasher.Save(file);
            file.Position = 0;
            var loaded = HasherKinds.BuiltIn.Load(file);
            Assert.IsType<LshHasher>(loaded);
            Assert.Equal(hasher.Version, loaded.Version);
            Assert.All(Sample, p => Assert.Equal(hasher.Hash(p), loaded.Hash(p)));
        }
    }

    [Fact]
    public void Saved_file_names_kind_version_bits_seed_and_parameters()
    {
        var file = new MemoryStream();
        LshHasher.Create(16, 3).Save(file);
        var json = JsonNode.Parse(file.ToArray())!;
        Assert.Equal("lsh", (string?)json["kind"]);
        Assert.Equal(16, (int?)json["bits"]);
        Assert.Equal(3, (int?)json["seed"]);
        Assert.Equal(162, json["modalities"]!["S2"]!["means"]!.AsArray().Count);
        Assert.Equal(16, json["modalities"]!["S1"]!["projections"]!.AsArray().Count);
    }

    [Fact]
    public void Edited_parameters_unknown_kinds_and_garbage_are_rejected_with_a_reason()
    {
        var file = new MemoryStream();
        LshHasher.Create(16, 3).Save(file);
        var json = JsonNode.Parse(file.ToArray())!;
        json["modalities"]!["S2"]!["means"]![0] = 123.0;
        Assert.Contains("does not match", Load(json.ToJsonString()).Reason);

        json = JsonNode.Parse(file.ToArray())!;
        json["modalities"]!["S1"]!["projections"]!.AsArray().RemoveAt(0);
        Assert.Contains("projections", Load(json.ToJsonString()).Reason);

        Assert.Contains("hasher kind 'onnx' is not registered", Load("""{"kind":"onnx"}""").Reason);
        Assert.Contains("kind", Load("""{"bits":8}""").Reason);
        Assert.Contains("malformed", Load("{not json").Reason);
    }

    [Fact]
    public void A_modality_the_hasher_was_not_built_for_is_refused()
    {
        var onlyS2 = KernelLshHasher.Fit(Sample.Where(p => p.Modality == Modality.S2), 16, 1, anchorCount: 8);
        Assert.Throws<ArgumentException>(() => onlyS2.Hash(Sample.First(p => p.Modality == Modality.S1)));
    }

    /// <summary>
    /// Random-hyperplane LSH: each bit differs with probability angle/pi, so over 256 bits the Hamming distance is
    /// Binomial(256, angle/pi). Checked within 5 standard deviations (+1 for rounding), for random vectors and angles.
    /// </summary>
    [Property(MaxTest = 40)]
    public void Hamming_distance_tracks_the_angle_between_standardised_descriptors(int seed, byte closeness)
    {
        const int bits = 256;
        var hasher = LshHasher.Create(bits, seed);
        var scaling = hasher.ScalingFor(Modality.S2);
        var random = new GaussianSampler(seed ^ 0x5eed);
        var x = random.NextVector(scaling.Length);
        var noise = random.NextVector(scaling.Length);
        double epsilon = closeness / 64.0; // 0 (identical) .. ~4 (nearly orthogonal)
        var y = x.Zip(noise, (a, n) => a + epsilon * n).ToArray();

        double angle = Math.Acos(Math.Clamp(Dot(x, y) / Math.Sqrt(Dot(x, x) * Dot(y, y)), -1, 1));
        double p = angle / Math.PI;
        int distance = Code(hasher, scaling, x).DistanceTo(Code(hasher, scaling, y));
        Assert.InRange(distance, bits * p - 5 * Math.Sqrt(bits * p * (1 - p)) - 1, bits * p + 5 * Math.Sqrt(bits * p * (1 - p)) + 1);
    }

    [Property(MaxTest = 40)]
    public void Similar_descriptors_are_closer_than_unrelated_ones(int seed)
    {
        var hasher = LshHasher.Create(256, seed);
        var scaling = hasher.ScalingFor(Modality.S2);
        var random = new GaussianSampler(seed);
        var x = random.NextVector(scaling.Length);
        var near = x.Zip(random.NextVector(scaling.Length), (a, n) => a + 0.2 * n).ToArray();
        var unrelated = random.NextVector(scaling.Length);
        var code = Code(hasher, scaling, x);
        Assert.True(code.DistanceTo(Code(hasher, scaling, near)) < code.DistanceTo(Code(hasher, scaling, unrelated)));
    }

    /// <summary>Hash the raw descriptor whose standardised form is <paramref name="z"/>.</summary>
    private static HammingCode Code(LshHasher hasher, DescriptorScaling scaling, double[] z) =>
        hasher.HashDescriptor(Modality.S2, z.Select((v, i) => scaling.Means[i] + v * scaling.Stds[i]).ToArray());

    private static double Dot(double[] a, double[] b) => a.Zip(b, (u, v) => u * v).Sum();

    private static HasherFormatException Load(string json) =>
        Assert.Throws<HasherFormatException>(() => HasherKinds.BuiltIn.Load(new MemoryStream(Encoding.UTF8.GetBytes(json))));
}
