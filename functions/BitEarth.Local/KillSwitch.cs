using System.Diagnostics;

namespace BitEarth.Local;

/// <summary>
/// Crash testing: the environment variable <c>BITEARTH_KILL_AT=&lt;point&gt;:&lt;n&gt;</c> makes the process SIGKILL itself
/// right after the n-th time it passes that point (<c>seed</c>: a blob copied into the patches container; <c>ingest</c>:
/// a blob ingested by the watcher), so a test can stop it at an exact step, with no shutdown code running. Unset, it
/// does nothing.
/// </summary>
public static class KillSwitch
{
    public const string Variable = "BITEARTH_KILL_AT";

    private static readonly (string Point, int After)? Target = Parse(Environment.GetEnvironmentVariable(Variable));
    private static int _passed;

    public static void Passed(string point)
    {
        if (Target is not { } target || target.Point != point) return;
        if (Interlocked.Increment(ref _passed) == target.After)
            Process.GetCurrentProcess().Kill();
    }

    private static (string, int)? Parse(string? value) =>
        value?.Split(':') is [var point, var n] && int.TryParse(n, out var after) && after > 0 ? (point, after) : null;
}
