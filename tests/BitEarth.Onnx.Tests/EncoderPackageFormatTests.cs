using BitEarth.Core.Hashing;
using BitEarth.Core.Patches;
using BitEarth.Onnx;
using BitEarth.Trainer.Export;
using BitEarth.Trainer.Tests;

namespace BitEarth.Onnx.Tests;

/// <summary>The trainer's package zip as the encoders container holds it, its code-space flag and batch hashing.</summary>
public class EncoderPackageFormatTests(TrainedPair trained) : IClassFixture<TrainedPair>
{
    private EncoderPackage Package(string version = "format-v1") =>
        EncoderExport.ToPackage(trained.Encoders, version, "labelled synthetic pairs", DateTimeOffset.UnixEpoch);

    private static MemoryStream Zip(EncoderPackage package)
    {
        var zip = new MemoryStream();
        package.Write(zip);
        zip.Position = 0;
        return zip;
    }

    [Fact]
    public void A_mixed_batch_equals_hashing_one_by_one_in_its_order()
    {
        using var hasher = new OnnxHasher(Package());
        var mixed = trained.Patches.Take(24).Reverse().ToList();
        Assert.Contains(mixed, p => p.Modality == Modality.S1);
        Assert.Contains(mixed, p => p.Modality == Modality.S2);
        Assert.Equal(mixed.Select(hasher.Hash), hasher.HashBatch(mixed));
        IPatchHasher asInterface = hasher;
        Assert.Equal(mixed.Select(hasher.Hash), asInterface.HashBatch(mixed));
    }

    [Fact]
    public void The_exporter_writes_the_shared_code_space_of_a_cross_modal_training()
    {
        var package = Package();
        Assert.True(package.Manifest.SharedCodeSpace);
        Assert.Contains("\"sharedCodeSpace\": true", package.Manifest.ToJson());
        using var hasher = new OnnxHasher(package);
        Assert.True(hasher.SharesCodeSpace);
    }

    [Fact]
    public void A_manifest_without_the_field_shares_a_space_only_when_both_modalities_have_a_network()
    {
        var both = Package().Manifest with { SharedCodeSpace = null };
        var json = both.ToJson();
        Assert.DoesNotContain("sharedCodeSpace\": true", json);
        Assert.True(EncoderManifest.FromJson(json.Replace("\"sharedCodeSpace\": null,", "", StringComparison.Ordinal)).SharesCodeSpace);
        var s2Only = both with { Encoders = [.. both.Encoders.Where(e => e.Modality == Modality.S2)] };
        Assert.False(EncoderManifest.FromJson(s2Only.ToJson()).SharesCodeSpace);
        Assert.False(EncoderManifest.FromJson((both with { SharedCodeSpace = false }).ToJson()).SharesCodeSpace);
    }

    [Fact]
    public void The_package_format_loads_the_trainers_zip_unchanged_and_refuses_garbage_as_a_hasher_format_error()
    {
        var kind = new OnnxHasherKind();
        Assert.Equal(".zip", kind.Extension);
        var loaded = Assert.IsType<OnnxHasher>(kind.LoadPackage(Zip(Package("zip-v1"))));
        using (loaded) Assert.Equal("zip-v1", loaded.Version);
        var refused = Assert.Throws<HasherFormatException>(() => kind.LoadPackage(new MemoryStream("PK not a zip"u8.ToArray())));
        Assert.Contains("zip", refused.Reason);
    }
}
