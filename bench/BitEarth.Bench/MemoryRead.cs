using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace BitEarth.Bench;

/// <summary>
/// The bandwidth bound of a scan: a plain read of the case's codes (Vector512 sums, no popcount), one thread, CPU
/// time, best of 3, in GB/s and in codes/s, beside which a scan's codes/s shows whether it is memory- or compute-bound.
/// </summary>
public static class MemoryRead
{
    public static string Describe(CodeSet set)
    {
        using var self = Process.GetCurrentProcess();
        double best = double.MaxValue;
        ulong sum = 0;
        for (int run = 0; run < 3; run++)
        {
            self.Refresh();
            var cpu = self.TotalProcessorTime;
            sum += Sum(set.Codes);
            self.Refresh();
            best = Math.Min(best, (self.TotalProcessorTime - cpu).TotalSeconds);
        }
        double bytes = set.Codes.LongLength * sizeof(ulong);
        return string.Create(CultureInfo.InvariantCulture,
            $"{set.Dataset} {set.Count:N0} x {set.Bits}: plain read of the codes {bytes / best / 1e9:0.0} GB/s = {set.Count / best / 1e9:0.00} G codes/s per core (CPU time, best of 3; checksum {sum % 1000})");
    }

    private static ulong Sum(ulong[] words)
    {
        ref ulong start = ref MemoryMarshal.GetArrayDataReference(words);
        Vector512<ulong> a = default, b = default;
        long i = 0;
        for (; i <= words.LongLength - 16; i += 16)
        {
            a += Vector512.LoadUnsafe(ref start, (nuint)i);
            b += Vector512.LoadUnsafe(ref start, (nuint)(i + 8));
        }
        ulong sum = Vector512.Sum(a + b);
        for (; i < words.LongLength; i++) sum += words[i];
        return sum;
    }
}
