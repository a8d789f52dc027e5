namespace BitEarth.Core.Query;

/// <summary>A filtered answer and how many searches it took (1 when the filter passed enough of the first k).</summary>
public sealed record FilteredAnswer(QueryAnswer Answer, int Searches);
