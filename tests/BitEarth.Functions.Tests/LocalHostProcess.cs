using System.Diagnostics;
using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace BitEarth.Functions.Tests;

/// <summary>
/// The local host as a separate process (the BitEarth.Local build beside the tests), so a test can kill it the way a
/// crashed or recycled Functions instance dies: no shutdown code runs.
/// </summary>
public sealed partial class LocalHostProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly List<string> _output = new();
    private readonly TaskCompletionSource<string> _address = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private LocalHostProcess(Process process) => _process = process;

    public HttpClient Http { get; } = new();

    /// <summary>Everything the process printed so far, for assertion messages.</summary>
    public string Output { get { lock (_output) return string.Join('\n', _output); } }

    public static Task<LocalHostProcess> StartAsync(string data, IReadOnlyDictionary<string, string> environment, TimeSpan timeout) =>
        StartAsync(data, environment, timeout, ["--backend", "azurite", "--synthetic", "20"]);

    /// <summary>Starts the host with <paramref name="arguments"/> (besides <c>--port 0 --data</c>) and waits until health is 200.</summary>
    public static async Task<LocalHostProcess> StartAsync(string data, IReadOnlyDictionary<string, string> environment, TimeSpan timeout,
        IReadOnlyList<string> arguments)
    {
        var host = Launch(data, environment, arguments);
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            host.Http.BaseAddress = new Uri(await host._address.Task.WaitAsync(cts.Token));
            while ((await host.Http.GetAsync("/api/health", cts.Token)).StatusCode != HttpStatusCode.OK)
                await Task.Delay(200, cts.Token);
        }
        catch (Exception e) when (e is OperationCanceledException or HttpRequestException)
        {
            await host.DisposeAsync();
            throw new TimeoutException($"the local host was not ready within {timeout} ({e.Message}):\n{host.Output}");
        }
        return host;
    }

    /// <summary>Starts the host and returns at once, for a test that lets it kill itself or kills it at a time of its own.</summary>
    public static LocalHostProcess Launch(string data, IReadOnlyDictionary<string, string> environment, IReadOnlyList<string> arguments)
    {
        var start = new ProcessStartInfo(DotnetHost(), [Path.Combine(AppContext.BaseDirectory, "BitEarth.Local.dll"),
            "--port", "0", "--data", data, .. arguments])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = data,
        };
        foreach (var (name, value) in environment) start.Environment[name] = value;
        var host = new LocalHostProcess(Process.Start(start)!);
        host._process.OutputDataReceived += (_, e) => host.Record(e.Data, host._address);
        host._process.ErrorDataReceived += (_, e) => host.Record(e.Data, null);
        host._process.BeginOutputReadLine();
        host._process.BeginErrorReadLine();
        return host;
    }

    public bool HasExited => _process.HasExited;

    /// <summary>Waits until the host printed its address: HTTP is up and seeding, resuming and ingest begin.</summary>
    public async Task WaitListeningAsync(TimeSpan timeout)
    {
        try { await _address.Task.WaitAsync(timeout); }
        catch (TimeoutException) { throw new TimeoutException($"the local host did not listen within {timeout}:\n{Output}"); }
    }

    /// <summary>Waits for the process to end by itself; its exit code (137 after a SIGKILL).</summary>
    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        try { await _process.WaitForExitAsync(cts.Token); }
        catch (OperationCanceledException) { throw new TimeoutException($"the local host did not exit within {timeout}:\n{Output}"); }
        return _process.ExitCode;
    }

    public async Task<JsonElement> GetJsonAsync(string path) =>
        JsonDocument.Parse(await Http.GetStringAsync(path)).RootElement;

    /// <summary>SIGKILL: the process gets no chance to release leases, finish activities or flush anything.</summary>
    public async Task KillAsync()
    {
        _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync();
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited) await KillAsync();
        _process.Dispose();
        Http.Dispose();
    }

    private void Record(string? line, TaskCompletionSource<string>? address)
    {
        if (line is null) return;
        lock (_output) _output.Add(line);
        if (address is not null && ListeningLine().Match(line) is { Success: true } m) address.TrySetResult(m.Groups[1].Value);
    }

    // The test host runs as "dotnet testhost.dll": reuse that dotnet rather than whatever is first on PATH.
    private static string DotnetHost() =>
        Path.GetFileNameWithoutExtension(Environment.ProcessPath) == "dotnet" ? Environment.ProcessPath! : "dotnet";

    [GeneratedRegex(@"^BitEarth local host on (http://\S+)")]
    private static partial Regex ListeningLine();
}
