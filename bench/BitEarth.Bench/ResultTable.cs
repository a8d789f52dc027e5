using System.Globalization;
using System.Text;

namespace BitEarth.Bench;

/// <summary>The side-by-side table, as markdown so it reads on a terminal and pastes into RESULTS.md.</summary>
public static class ResultTable
{
    public static string Header =>
        "| N | bits | dataset | method | threads | ms/query | codes scanned/s/core | fraction touched | recall | memory MB (x raw codes+ids) | build M codes/s |\n" +
        "|---:|---:|---|---|---:|---:|---:|---:|---:|---:|---:|";

    public static string Line(BenchRow r)
    {
        double raw = (double)r.N * (r.Bits / 8 + sizeof(long));
        return string.Create(CultureInfo.InvariantCulture,
            $"| {r.N:N0} | {r.Bits} | {r.Dataset} | {r.Method} | {r.Threads} | {r.MsPerQuery:0.000} | {r.CodesScannedPerSecondPerCore / 1e9:0.000} G | " +
            $"{r.FractionTouched:0.0000} | {r.Recall:0.0000} | {r.MemoryBytes / 1e6:0.0} ({r.MemoryBytes / raw:0.00}) | {r.BuildMCodesPerSecond:0.0} |");
    }

    public static string Render(IEnumerable<BenchRow> rows)
    {
        var text = new StringBuilder(Header).Append('\n');
        foreach (var row in rows) text.Append(Line(row)).Append('\n');
        return text.ToString();
    }
}
