using System.Globalization;

namespace BitEarth.IngestBench;

/// <summary>The 1-minute load average (what `uptime` prints first), recorded with every figure.</summary>
internal static class Load
{
    public static string OneMinute() =>
        File.Exists("/proc/loadavg")
            ? File.ReadAllText("/proc/loadavg").Split(' ')[0]
            : double.NaN.ToString(CultureInfo.InvariantCulture);
}
