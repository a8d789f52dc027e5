using BitEarth.Core.Stores;
using BitEarth.Local;

namespace BitEarth.Functions.Tests;

/// <summary>A host killed while it copies <c>--archive</c> into the patches container copies the rest on its next start.</summary>
public sealed class SeedingRecoveryTests
{
    private static readonly string EuroSat = Path.Combine(RepoPaths.SharedData, "eurosat-ms");

    [Fact]
    public async Task Seeding_killed_after_three_blobs_resumes_and_indexes_the_whole_archive()
    {
        var data = Directory.CreateTempSubdirectory("bitearth-seed-").FullName;
        // LSH: this is about seeding; fitting the learned default on 120 patches per start only adds minutes.
        string[] arguments = ["--backend", "embedded", "--archive", EuroSat, "--default-encoder", "lsh"];
        var total = Directory.EnumerateFiles(EuroSat, "*.tif", SearchOption.AllDirectories).Count();

        await using (var killed = LocalHostProcess.Launch(data, new Dictionary<string, string> { [KillSwitch.Variable] = "seed:3" }, arguments))
            Assert.Equal(137, await killed.WaitForExitAsync(TimeSpan.FromMinutes(1)));
        var patches = Path.Combine(data, "blobs", Containers.Patches);
        Assert.Equal(3, Directory.EnumerateFiles(patches, "*", SearchOption.AllDirectories).Count());

        await using (var restarted = await LocalHostProcess.StartAsync(data, new Dictionary<string, string>(), TimeSpan.FromMinutes(2), arguments))
        {
            Assert.Equal(total, (await restarted.GetJsonAsync("/api/health/details")).GetProperty("codes").GetInt32());
            Assert.Contains($"Archive: {total - 3} blobs added", restarted.Output);
        }

        // Seeded once: a third start adds nothing, so a patch deleted since would stay deleted.
        await using var third = await LocalHostProcess.StartAsync(data, new Dictionary<string, string>(), TimeSpan.FromMinutes(2), arguments);
        Assert.Contains("Archive: 0 blobs added", third.Output);
        Assert.Equal(total, (await third.GetJsonAsync("/api/health/details")).GetProperty("codes").GetInt32());
    }
}
