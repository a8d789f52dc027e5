namespace BitEarth.Bench;

/// <summary>
/// One line of the results table. Memory is null where the peer does not report it; CPU time (user + system time of
/// this process over the best run) only for our rows, as the FAISS peers run in child processes.
/// </summary>
public sealed record BenchRow(
    int N, int Bits, string Dataset, string Method, int Threads, double MsPerQuery,
    double CodesScannedPerSecondPerCore, double FractionTouched, double Recall, long? MemoryBytes, double BuildMCodesPerSecond,
    double? CpuMsPerQuery = null);
