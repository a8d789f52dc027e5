using System.Text.Json.Serialization;
using BitEarth.Core.Index;
using BitEarth.Core.Stores;

namespace BitEarth.Core.Query;

/// <summary>A hit with the record it points at; small enough to travel between durable activities.</summary>
public sealed record RankedPatch(long Key, int Distance, CodeRecord Record)
{
    [JsonIgnore]
    public Hit Hit => new(Key, Distance);
}
