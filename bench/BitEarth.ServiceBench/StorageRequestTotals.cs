namespace BitEarth.ServiceBench;

/// <summary>Requests sent, answered and the time to their answers, per service (blob, queue, table, other).</summary>
public sealed record StorageRequestTotals(long[] Sent, long[] Answered, long[] Ticks)
{
    public string Since(StorageRequestTotals start, int queries)
    {
        string Service(string name, int i)
        {
            long sent = Sent[i] - start.Sent[i], answered = Answered[i] - start.Answered[i];
            var ms = answered == 0 ? 0 : TimeSpan.FromTicks(Ticks[i] - start.Ticks[i]).TotalMilliseconds / answered;
            return FormattableString.Invariant($"{name} {sent / (double)Math.Max(queries, 1):F1} ({ms:F0} ms each)");
        }
        return $"storage requests per query: {Service("queue", 1)}, {Service("table", 2)}, {Service("blob", 0)}";
    }
}
