
using BitEarth.Core.Query;

namespace BitEarth.Functions.Query;

/// <summary>Input of the QueryFanOut orchestration: the prepared query and how to split the shards.</summary>
public sealed record QueryFanOutInput(PreparedQuery Query, int PrefixBits, int ShardsPerGroup);
