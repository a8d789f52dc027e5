using System.Collections.Concurrent;
using System.Text.RegularExpressions;

namespace BitEarth.Functions.Tests.Fuzz;

/// <summary>What a fuzz run saw: inputs by family, distinct refusal reasons (numbers and names blanked), and failures.</summary>
public sealed partial class FuzzLedger
{
    private readonly ConcurrentDictionary<string, int> _inputs = new();
    private readonly ConcurrentDictionary<string, int> _reasons = new();
    private readonly ConcurrentQueue<string> _failures = new();
    private long _peakHeap;
    private long _maxAllocated;

    /// <summary>The most one reader input allocated.</summary>
    public long MaxAllocated => Interlocked.Read(ref _maxAllocated);

    public void Allocated(long bytes)
    {
        long max;
        while (bytes > (max = Interlocked.Read(ref _maxAllocated)) && Interlocked.CompareExchange(ref _maxAllocated, bytes, max) != max) { }
    }

    public int Inputs => _inputs.Values.Sum();

    public int DistinctReasons => _reasons.Count;

    public IReadOnlyCollection<string> Failures => _failures;

    public void Count(string family) => _inputs.AddOrUpdate(family, 1, (_, n) => n + 1);

    public void Reason(string reason) => _reasons.AddOrUpdate(Shape(reason), 1, (_, n) => n + 1);

    public void Fail(string what) { if (_failures.Count < 50) _failures.Enqueue(what); }

    public long SampleHeap()
    {
        long heap = GC.GetTotalMemory(forceFullCollection: true);
        long peak;
        while (heap > (peak = Interlocked.Read(ref _peakHeap)) && Interlocked.CompareExchange(ref _peakHeap, heap, peak) != peak) { }
        return Interlocked.Read(ref _peakHeap);
    }

    public string Summary() =>
        $"{Inputs} inputs ({string.Join(", ", _inputs.OrderBy(i => i.Key).Select(i => $"{i.Key} {i.Value}"))}), " +
        $"{DistinctReasons} distinct reasons, peak live heap {SampleHeap() >> 20} MiB, most allocated by one reader input " +
        $"{MaxAllocated >> 20} MiB, {Failures.Count} failures";

    public IEnumerable<string> TopReasons(int n) => _reasons.OrderByDescending(r => r.Value).Take(n).Select(r => $"{r.Value,6}  {r.Key}");

    // "eurosat/Forest/Forest_3.tif: 64x60x13, expected ..." -> "<file>: NxNxN, expected ..."
    private static string Shape(string reason) => Numbers().Replace(Quoted().Replace(FilePrefix().Replace(reason, "<file>:"), "'…'"), "N");

    [GeneratedRegex(@"^[^ ]+?\.(tif|tiff|zip|json)(/[^ ]*)?:")]
    private static partial Regex FilePrefix();

    [GeneratedRegex(@"'[^']*'")]
    private static partial Regex Quoted();

    [GeneratedRegex(@"\d+")]
    private static partial Regex Numbers();
}
