namespace BitEarth.Bench;

/// <summary>
/// One line of the results table. Memory is null where the peer does not report it. CPU time: for our rows the
/// process's user + system time, mean over the timed runs; for the FAISS 1.15 peer its threads' run time between two of its
/// output lines (warm-up, timed runs and check) over the queries those ran; none for Debian's FAISS.
/// </summary>
public sealed record BenchRow(
    int N, int Bits, string Dataset, string Method, int Threads, double MsPerQuery,
    double CodesScannedPerSecondPerCore, double FractionTouched, double Recall, long? MemoryBytes, double BuildMCodesPerSecond,
    double? CpuMsPerQuery = null);
