using System.Globalization;
using System.Text;

namespace BitEarth.Bench;

/// <summary>The side-by-side table, as markdown so it reads on a terminal and pastes into RESULTS.md.</summary>
public static class ResultTable
{
    public static string Header =>
        "| N | bits | dataset | method | threads | ms/query | CPU ms/query | codes scanned/s/core | fraction touched | recall | memory MB (x raw codes+ids) | build M codes/s |\n" +
        "|---:|---:|---|---|---:|---:|---:|---:|---:|---:|---:|---:|";

    public static string Line(BenchRow r)
    {
        double raw = (double)r.N * (r.Bits / 8 + sizeof(long));
        string cpu = r.CpuMsPerQuery is { } c ? c.ToString("0.000", CultureInfo.InvariantCulture) : "n/a";
        string memory = r.MemoryBytes is { } m ? string.Create(CultureInfo.InvariantCulture, $"{m / 1e6:0.0} ({m / raw:0.00})") : "n/a";
        return string.Create(CultureInfo.InvariantCulture,
            $"| {r.N:N0} | {r.Bits} | {r.Dataset} | {r.Method} | {r.Threads} | {r.MsPerQuery:0.000} | {cpu} | {r.CodesScannedPerSecondPerCore / 1e9:0.000} G | " +
            $"{r.FractionTouched:0.0000} | {r.Recall:0.0000} | {memory} | {(double.IsFinite(r.BuildMCodesPerSecond) ? r.BuildMCodesPerSecond.ToString("0.0", CultureInfo.InvariantCulture) : "n/a")} |");
    }

    public static string Render(IEnumerable<BenchRow> rows, IEnumerable<string> notes)
    {
        var text = new StringBuilder();
        foreach (var note in notes) text.Append(note).Append("\n\n");
        text.Append(Header).Append('\n');
        foreach (var row in rows) text.Append(Line(row)).Append('\n');
        return text.ToString();
    }
}
