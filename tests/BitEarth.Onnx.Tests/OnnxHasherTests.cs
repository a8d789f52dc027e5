using BitEarth.Core.Hashing;
using BitEarth.Core.Patches;
using BitEarth.Onnx;
using BitEarth.Trainer.Export;
using BitEarth.Trainer.Tests;
using BitEarth.Trainer.Training;
using Microsoft.Extensions.DependencyInjection;

namespace BitEarth.Onnx.Tests;

public class OnnxHasherTests(TrainedPair trained) : IClassFixture<TrainedPair>
{
    private OnnxHasher LoadPackage()
    {
        var package = EncoderExport.ToPackage(trained.Encoders, "test-v1", "labelled synthetic pairs", DateTimeOffset.UnixEpoch);
        using var zip = new MemoryStream();
        package.Write(zip);
        zip.Position = 0;
        return OnnxHasher.Load(zip);
    }

    [Fact]
    public void Codes_from_the_package_equal_the_torchsharp_model_codes_for_both_modalities()
    {
        using var hasher = LoadPackage();
        Assert.Equal(new HashSet<Modality> { Modality.S1, Modality.S2 }, hasher.Modalities);
        Assert.Equal(32, hasher.Bits);
        Assert.Equal("test-v1", hasher.Version);
        foreach (var modality in new[] { Modality.S1, Modality.S2 })
        {
            var patches = trained.Patches.Where(p => p.Modality == modality).Take(40).ToList();
            var expected = HashTrainer.Binarise(trained.Encoders.Outputs(patches), 32);
            var codes = hasher.HashBatch(patches);
            for (int n = 0; n < patches.Count; n++)
            {
                Assert.Equal(expected[n], Enumerable.Range(0, 32).Select(i => codes[n][i]));
                Assert.Equal(codes[n], hasher.Hash(patches[n]));
            }
        }
    }

    [Fact]
    public void Saved_hasher_file_has_kind_onnx_and_loads_into_an_identical_hasher()
    {
        using var hasher = LoadPackage();
        using var saved = new MemoryStream();
        hasher.Save(saved);
        using (var json = System.Text.Json.JsonDocument.Parse(saved.ToArray()))
            Assert.Equal(OnnxHasher.Kind, json.RootElement.GetProperty("kind").GetString());
        saved.Position = 0;
        using var reloaded = OnnxHasher.Load(saved);
        var patch = trained.Patches[0];
        Assert.Equal(hasher.Hash(patch), reloaded.Hash(patch));
        Assert.Equal(hasher.Manifest.Encoders[0].Mean, reloaded.Manifest.Encoders[0].Mean);
    }

    [Fact]
    public void Hasher_files_load_through_the_registry_once_the_onnx_kind_is_registered()
    {
        using var hasher = LoadPackage();
        using var saved = new MemoryStream();
        hasher.Save(saved);
        using var services = new ServiceCollection().AddHasherKind<OnnxHasherKind>().BuildServiceProvider();
        saved.Position = 0;
        var loaded = Assert.IsType<OnnxHasher>(services.GetRequiredService<HasherKinds>().Load(saved));
        using (loaded)
        {
            var patch = trained.Patches[1];
            Assert.Equal(hasher.Hash(patch), loaded.Hash(patch));
        }
    }

    [Fact]
    public void Patch_of_another_size_is_resampled_to_the_model_input()
    {
        using var hasher = LoadPackage();
        var large = LabelledPatches.Generate(pairs: 1, seed: 9, size: 48)[0];
        Assert.Equal(32, hasher.Hash(large).Bits);
    }

    [Fact]
    public void Patch_missing_a_band_is_a_format_error()
    {
        using var hasher = LoadPackage();
        var s2 = trained.Patches.First(p => p.Modality == Modality.S2);
        var short11 = s2 with { BandNames = Bands.S2.Take(11).ToArray(), Pixels = s2.Pixels[..(11 * 16 * 16)] };
        var error = Assert.Throws<PatchFormatException>(() => hasher.Hash(short11));
        Assert.Contains("B12", error.Reason);
    }

    [Fact]
    public void Garbage_is_not_an_encoder_package()
    {
        Assert.Throws<EncoderPackageException>(() => OnnxHasher.Load(new MemoryStream([1, 2, 3, 4])));
    }

    [Fact]
    public void An_onnx_hasher_file_is_refused_with_a_clear_error_when_its_kind_is_not_registered()
    {
        using var hasher = LoadPackage();
        using var saved = new MemoryStream();
        hasher.Save(saved);
        saved.Position = 0;
        var refused = Assert.Throws<HasherFormatException>(() => HasherKinds.BuiltIn.Load(saved));
        Assert.Equal("hasher kind 'onnx' is not registered here (registered: ksh, kulsh, lsh, mch, multi-lsh).", refused.Reason);
    }
}
