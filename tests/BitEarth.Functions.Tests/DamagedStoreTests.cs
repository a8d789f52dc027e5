namespace BitEarth.Functions.Tests;

/// <summary>A damaged record in the embedded store no longer stops the host: it starts, says what it set aside, and serves.</summary>
public sealed class DamagedStoreTests
{
    [Fact]
    public async Task A_bad_line_in_the_middle_of_codes_jsonl_is_set_aside_and_the_host_starts_and_says_so()
    {
        var data = Directory.CreateTempSubdirectory("bitearth-damaged-").FullName;
        string[] arguments = ["--backend", "embedded", "--synthetic", "3"];
        int codes;
        await using (var first = await LocalHostProcess.StartAsync(data, new Dictionary<string, string>(), TimeSpan.FromMinutes(2), arguments))
        {
            codes = (await first.GetJsonAsync("/api/health/details")).GetProperty("codes").GetInt32();
            await first.KillAsync();
        }
        var log = Path.Combine(data, "codes", "codes.jsonl");
        var lines = File.ReadAllLines(log).ToList();
        lines.Insert(1, "{\"id\": this is not a record");
        File.WriteAllLines(log, lines);

        await using var restarted = await LocalHostProcess.StartAsync(data, new Dictionary<string, string>(), TimeSpan.FromMinutes(2), arguments);

        Assert.Contains("Store: codes.jsonl line 2 (byte ", restarted.Output);
        Assert.Contains("corrupt record: not a valid CodeRecord", restarted.Output);
        Assert.Equal(codes, (await restarted.GetJsonAsync("/api/health/details")).GetProperty("codes").GetInt32());
        Assert.Contains("this is not a record", File.ReadAllText(Path.Combine(data, "codes", "codes.quarantine.jsonl")));
    }
}
