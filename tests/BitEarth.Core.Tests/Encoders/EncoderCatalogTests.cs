using BitEarth.Core.Encoders;
using BitEarth.Core.Hashing;
using BitEarth.Core.Patches;
using BitEarth.Core.Stores;
using BitEarth.Core.Tests.Residency;

namespace BitEarth.Core.Tests.Encoders;

/// <summary>Encoders by version: hasher files and packages side by side, plain names only, renamed blobs caught, listing.</summary>
public sealed class EncoderCatalogTests : IDisposable
{
    private readonly EmbeddedArchive _archive = new();

    public void Dispose() => _archive.Dispose();

    /// <summary>A "package" that is an LSH hasher file under another suffix: enough to exercise the catalog's format path.</summary>
    private sealed class LshPackage : IEncoderPackageFormat
    {
        public string Extension => ".pkg";

        public IPatchHasher LoadPackage(Stream source) => HasherKinds.BuiltIn.Load(source);
    }

    private EncoderCatalog Catalog() => new(_archive.Blobs, _archive.Store, _archive.Options, HasherKinds.BuiltIn, [new LshPackage()]);

    private static MemoryStream Saved(LshHasher hasher)
    {
        var buffer = new MemoryStream();
        hasher.Save(buffer);
        buffer.Position = 0;
        return buffer;
    }

    [Theory]
    [InlineData("../lsh")]
    [InlineData("a/b")]
    [InlineData("a..b")]
    [InlineData("")]
    [InlineData(".hidden")]
    [InlineData("with space")]
    public async Task A_version_that_is_not_a_plain_name_is_refused_before_any_store_is_asked(string version) =>
        await Assert.ThrowsAsync<EncoderVersionException>(() => Catalog().GetAsync(version));

    [Fact]
    public async Task A_package_dropped_as_version_plus_its_extension_loads_by_version()
    {
        var hasher = LshHasher.Create(32, 11);
        await _archive.Blobs.WriteAsync(Containers.Encoders, hasher.Version + ".pkg", Saved(hasher));
        var loaded = await Catalog().GetAsync(hasher.Version);
        var patch = Core.Synthetic.SyntheticArchive.Generate(1, seed: 2).Select(b => PatchBlobReader.Read(b.Name, b.Content)).First();
        Assert.Equal(hasher.Hash(patch), loaded.Hash(patch));
    }

    [Fact]
    public async Task A_renamed_encoder_blob_is_a_load_error_naming_both_versions()
    {
        var hasher = LshHasher.Create(32, 12);
        await _archive.Blobs.WriteAsync(Containers.Encoders, "renamed.pkg", Saved(hasher));
        var error = await Assert.ThrowsAsync<EncoderLoadException>(() => Catalog().GetAsync("renamed"));
        Assert.Contains(hasher.Version, error.Message);
        Assert.Contains("renamed.pkg", error.Message);
    }

    [Fact]
    public async Task An_unreadable_hasher_file_is_a_load_error_not_a_crash()
    {
        await _archive.Blobs.WriteAsync(Containers.Encoders, "junk.json", new MemoryStream("PK\u0003\u0004 not json"u8.ToArray()));
        var error = await Assert.ThrowsAsync<EncoderLoadException>(() => Catalog().GetAsync("junk"));
        Assert.Contains("junk.json", error.Message);
    }

    [Fact]
    public async Task Import_takes_a_hasher_file_of_any_kind_and_stores_it_as_version_json()
    {
        var hasher = LshHasher.Create(24, 14);
        var catalog = new EncoderCatalog(_archive.Blobs, _archive.Store, _archive.Options, HasherKinds.BuiltIn);
        var imported = await catalog.ImportAsync(Saved(hasher), ".JSON");
        Assert.Equal(hasher.Version, imported.Version);
        await using var stored = await _archive.Blobs.OpenReadAsync(Containers.Encoders, EncoderCatalog.BlobName(hasher.Version));
        Assert.NotNull(stored);
        Assert.Equal(hasher.Version, HasherKinds.BuiltIn.Load(stored).Version);
    }

    [Fact]
    public async Task Import_stores_the_package_under_its_own_version_and_listing_shows_state()
    {
        var catalog = Catalog();
        var hasher = LshHasher.Create(48, 13);
        var imported = await catalog.ImportAsync(Saved(hasher), ".pkg");
        Assert.Equal(hasher.Version, imported.Version);
        Assert.NotNull(await _archive.Blobs.OpenReadAsync(Containers.Encoders, hasher.Version + ".pkg"));
        await _archive.Store.SetActiveEncoderAsync(_archive.Encoder);
        await _archive.Store.AddPendingEncoderAsync(hasher.Version);
        await _archive.Blobs.WriteAsync(Containers.Encoders, "junk.json", new MemoryStream("{"u8.ToArray()));

        var listed = await catalog.ListAsync();

        Assert.Equal(new[] { "junk", _archive.Encoder, hasher.Version }.Order(StringComparer.Ordinal), listed.Select(e => e.Version));
        var active = listed.Single(e => e.Version == _archive.Encoder);
        Assert.True(active.Active);
        Assert.Equal(64, active.Bits);
        Assert.False(active.SharedCodeSpace);
        Assert.Equal([Modality.S1, Modality.S2], active.Modalities);
        var pending = listed.Single(e => e.Version == hasher.Version);
        Assert.True(pending.Pending);
        Assert.Equal(hasher.Version + ".pkg", pending.Blob);
        Assert.NotNull(listed.Single(e => e.Version == "junk").Error);
    }
}
