namespace BitEarth.Core.Tests.Residency;

/// <summary>A clock a test sets, so store stamps are chosen instead of read off the wall.</summary>
public sealed class SettableClock(DateTimeOffset now) : TimeProvider
{
    public DateTimeOffset Now { get; set; } = now;

    public override DateTimeOffset GetUtcNow() => Now;
}
