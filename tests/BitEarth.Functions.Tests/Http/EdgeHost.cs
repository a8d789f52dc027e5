namespace BitEarth.Functions.Tests.Http;

/// <summary>One small embedded local host shared by the HTTP edge tests of a class (a synthetic archive of 5 pairs).</summary>
public sealed class EdgeHost : IAsyncLifetime
{
    public LocalHostRunner Host { get; private set; } = null!;

    public async Task InitializeAsync() => Host = await LocalHostRunner.StartAsync("embedded", synthetic: 5);

    public async Task DisposeAsync() => await Host.DisposeAsync();
}
