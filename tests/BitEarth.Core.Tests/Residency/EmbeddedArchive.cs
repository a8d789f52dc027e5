using BitEarth.Core.Encoders;
using BitEarth.Core.Hashing;
using BitEarth.Core.Residency;
using BitEarth.Core.Stores;
using BitEarth.Storage.Embedded;

namespace BitEarth.Core.Tests.Residency;

/// <summary>
/// The stores of a one-process archive in a temporary folder (folder blobs, embedded code store on a settable clock)
/// with a 64-bit LSH encoder published, as the tests of loading and refreshing resident indexes need them.
/// </summary>
public sealed class EmbeddedArchive : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("bitearth-snapshots-").FullName;

    public EmbeddedArchive(ArchiveOptions? options = null)
    {
        Options = options ?? new ArchiveOptions();
        Clock = new SettableClock(new DateTimeOffset(2026, 11, 29, 12, 0, 0, TimeSpan.Zero));
        Store = new EmbeddedCodeStore(Path.Combine(_root, "codes"), Clock);
        Blobs = new LocalFolderBlobStore(Path.Combine(_root, "blobs"));
        Encoders = new EncoderCatalog(Blobs, Store, Options, HasherKinds.BuiltIn);
        Hasher = LshHasher.Create(64, 42);
        Encoders.PublishAsync(Hasher).GetAwaiter().GetResult();
    }

    public ArchiveOptions Options { get; }

    public SettableClock Clock { get; }

    public EmbeddedCodeStore Store { get; }

    public LocalFolderBlobStore Blobs { get; }

    public EncoderCatalog Encoders { get; }

    public IPatchHasher Hasher { get; }

    public string Encoder => Hasher.Version;

    public CodeSnapshotWriter SnapshotWriter => new(Store, Blobs, Encoders, Options);

    public async Task<List<CodeRecord>> WriteCodesAsync(int count, int seed)
    {
        var records = SyntheticCodes.Records(Encoder, count, Hasher.Bits, Options.PrefixBits, seed);
        foreach (var record in records) await Store.UpsertCodeAsync(record);
        return records;
    }

    public Task<ResidentIndex> LoadAsync(ICodeStore? store = null, bool snapshots = true) =>
        ResidentIndex.LoadAsync(store ?? Store, snapshots ? Blobs : null, Encoder, Hasher.Bits, Options, CancellationToken.None);

    public void Dispose()
    {
        Store.Dispose();
        Directory.Delete(_root, recursive: true);
    }
}
