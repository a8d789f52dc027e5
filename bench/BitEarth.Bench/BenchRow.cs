namespace BitEarth.Bench;

/// <summary>One line of the results table.</summary>
public sealed record BenchRow(
    int N, int Bits, string Dataset, string Method, int Threads, double MsPerQuery,
    double CodesScannedPerSecondPerCore, double FractionTouched, double Recall, long MemoryBytes, double BuildMCodesPerSecond);
