using BitEarth.Core.Codes;
using BitEarth.Core.Hashing;
using BitEarth.Core.Index;
using BitEarth.Core.Patches;
using BitEarth.Core.Stores;

namespace BitEarth.Core.Query;

/// <summary>
/// The query path of multi-code encoders (<see cref="IMultiCodeHasher"/>): their code records carry each patch's code
/// set (<see cref="CodeRecord.RegionCodes"/>), held here as one <see cref="MultiCodeIndex"/> per shard, read from the
/// code store and refreshed from each shard's change feed at most every <see cref="ArchiveOptions.IndexRefreshInterval"/>.
/// A shard group's search is the exact top-k of its shards under <see cref="Matching"/>; groups merge exactly like the
/// single-code ones (<see cref="PartialTopK.Merge"/>), and hit keys are <see cref="PatchKey"/>s, so the answer's
/// records come from the resident index as for any encoder.
/// </summary>
public sealed class MultiCodeSearch(ICodeStore store, ArchiveOptions options) : IDisposable
{
    public const MultiCodeMatching Matching = MultiCodeMatching.EveryQueryCode;

    private readonly Dictionary<string, EncoderCodes> _byEncoder = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _gate = new(1, 1);

    /// <summary>The code set the store holds for an archived patch of this encoder, or null if it has none.</summary>
    public async Task<IReadOnlyList<HammingCode>?> CodesOfAsync(string encoder, int bits, string patchId, CancellationToken ct = default)
    {
        var codes = await RefreshedAsync(encoder, bits, ct);
        foreach (var shard in codes.Shards.Values)
            if (shard.Records.TryGetValue(patchId, out var record)) return Decode(record);
        return null;
    }

    /// <summary>Exact top-k of one group's shards for the query's code set (which <see cref="PreparedQuery.RegionCodes"/> holds).</summary>
    public async Task<PartialTopK> SearchGroupAsync(PreparedQuery query, ShardGroup group, int k, CancellationToken ct = default)
    {
        var queryCodes = query.RegionCodes ?? throw new ArgumentException("A multi-code query needs its code set.", nameof(query));
        var codes = await RefreshedAsync(query.Encoder, query.Code.Bits, ct);
        var partials = new List<List<Hit>>();
        int visited = 0;
        long scanned = 0;
        foreach (int prefix in group.Prefixes)
        {
            if (!codes.Shards.TryGetValue(CodeRecord.ShardFor(query.Encoder, group.Modality, prefix), out var shard)) continue;
            visited++;
            scanned += shard.Index.CodeCount;
            if (shard.Index.Count > 0) partials.Add(shard.Index.Search(queryCodes, k, Matching));
        }
        return new PartialTopK(TopK.Merge(partials, k), visited, scanned);
    }

    private async Task<EncoderCodes> RefreshedAsync(string encoder, int bits, CancellationToken ct)
    {
        await _gate.WaitAsync(ct);
        try
        {
            if (!_byEncoder.TryGetValue(encoder, out var codes)) _byEncoder[encoder] = codes = new EncoderCodes();
            if (codes.LoadedAt is { } at && DateTimeOffset.UtcNow - at < options.IndexRefreshInterval) return codes;
            var started = DateTimeOffset.UtcNow;
            foreach (var name in CodeRecord.ShardsFor(encoder, options.PrefixBits))
            {
                if (!codes.Shards.TryGetValue(name, out var shard)) codes.Shards[name] = shard = new ShardCodes(bits);
                // The overlap re-reads records stamped in the last seconds, which a concurrent writer may still add to.
                long since = Math.Max(0, shard.Stamp - options.StampOverlapSeconds);
                bool changed = false;
                await foreach (var record in store.ReadShardSinceAsync(name, since, ct))
                {
                    if (record.RegionCodes is not { Count: > 0 }) continue;
                    shard.Records[record.PatchId] = record;
                    shard.Stamp = Math.Max(shard.Stamp, record.Stamp);
                    changed = true;
                }
                if (changed) shard.Rebuild(bits);
            }
            codes.LoadedAt = started;
            return codes;
        }
        finally { _gate.Release(); }
    }

    public void Dispose() => _gate.Dispose();

    private static List<HammingCode> Decode(CodeRecord record) => record.RegionCodes!.Select(HammingCode.FromBase64).ToList();

    private sealed class EncoderCodes
    {
        public DateTimeOffset? LoadedAt { get; set; }

        public Dictionary<string, ShardCodes> Shards { get; } = new(StringComparer.Ordinal);
    }

    private sealed class ShardCodes(int bits)
    {
        public Dictionary<string, CodeRecord> Records { get; } = new(StringComparer.Ordinal);

        public long Stamp { get; set; }

        public MultiCodeIndex Index { get; private set; } = new(bits);

        /// <summary>The index is append-only, so a shard that changed is rebuilt from its records (ordered, so deterministic).</summary>
        public void Rebuild(int bits)
        {
            var index = new MultiCodeIndex(bits);
            foreach (var record in Records.Values.OrderBy(r => r.PatchId, StringComparer.Ordinal))
                index.Add(PatchKey.Of(record.PatchId), Decode(record));
            Index = index;
        }
    }
}
