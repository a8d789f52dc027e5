using BitEarth.Core.Query;

namespace BitEarth.Functions.Query;

/// <summary>What a query adds to its example: the filter results must pass and the relevance feedback to apply.</summary>
public sealed record QueryRefinements(QueryFilter Filter, IReadOnlyList<string> Relevant, IReadOnlyList<string> Irrelevant, bool Details)
{
    public static readonly QueryRefinements None = new(QueryFilter.None, [], [], false);
}
