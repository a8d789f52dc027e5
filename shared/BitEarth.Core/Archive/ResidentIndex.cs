using BitEarth.Core.Codes;
using BitEarth.Core.Index;
using BitEarth.Core.Patches;
using BitEarth.Core.Stores;

namespace BitEarth.Core.Archive;

/// <summary>
/// All codes of one encoder held in memory: a sharded Hamming index per modality plus the record behind each key,
/// loaded shard by shard from the code store (one partition at a time) and kept current by ingest.
/// </summary>
public sealed class ResidentIndex
{
    private readonly Dictionary<Modality, ShardedHammingIndex> _byModality;
    private readonly Dictionary<long, CodeRecord> _records = new();
    private readonly ReaderWriterLockSlim _lock = new();

    public ResidentIndex(string encoder, int bits, int prefixBits)
    {
        Encoder = encoder;
        _byModality = Enum.GetValues<Modality>().ToDictionary(m => m, _ => new ShardedHammingIndex(bits, prefixBits));
    }

    public string Encoder { get; }

    public int Count
    {
        get { _lock.EnterReadLock(); try { return _records.Count; } finally { _lock.ExitReadLock(); } }
    }

    public static async Task<ResidentIndex> LoadAsync(ICodeStore store, string encoder, int bits, int prefixBits, CancellationToken ct)
    {
        var index = new ResidentIndex(encoder, bits, prefixBits);
        foreach (var modality in Enum.GetValues<Modality>())
            for (int prefix = 0; prefix < 1 << prefixBits; prefix++)
                await foreach (var record in store.ReadShardAsync(CodeRecord.ShardFor(encoder, modality, prefix), ct))
                    index.Apply(record);
        return index;
    }

    public void Apply(CodeRecord record)
    {
        if (record.Encoder != Encoder) return;
        long key = PatchKey.Of(record.PatchId);
        _lock.EnterWriteLock();
        try
        {
            _byModality[record.Modality].Upsert(key, HammingCode.FromBase64(record.Code));
            _records[key] = record;
        }
        finally { _lock.ExitWriteLock(); }
    }

    /// <summary>Exact top-k of one modality over the given shards (all when null), with the records behind the hits.</summary>
    public PartialTopK Search(Modality modality, HammingCode query, int k, IEnumerable<int>? shards)
    {
        _lock.EnterReadLock();
        try
        {
            var result = _byModality[modality].Search(query, k, shards);
            var hits = result.Hits.Select(h => new RankedPatch(h.Key, h.Distance, _records[h.Key])).ToList();
            return new PartialTopK(hits, result.ShardsVisited, result.CodesScanned);
        }
        finally { _lock.ExitReadLock(); }
    }
}
