using BitEarth.Core;
using BitEarth.Core.Encoders;
using BitEarth.Core.Reindex;
using BitEarth.Core.Stores;
using BitEarth.Functions.Hosting;
using BitEarth.Functions.Reindex;
using Microsoft.DurableTask.Client;

namespace BitEarth.Local.Startup;

/// <summary>
/// --encoder &lt;package.zip | hasher.json&gt;: the trainer's package, or a hasher `fit` wrote, goes into the encoders
/// container unchanged; on a fresh archive it is
/// active before the first patch is ingested, and an archive whose active encoder is another one is re-indexed to it
/// through the same ReindexArchive orchestration POST api/reindex starts.
/// </summary>
public static class EncoderPackageOption
{
    /// <summary>Imports the package; activates it when the archive has no active encoder yet. Returns its version.</summary>
    public static async Task<string> ImportAsync(IServiceProvider services, string path, CancellationToken ct)
    {
        PackageSummary hasher;
        await using (var file = File.OpenRead(path))
        {
            var imported = await services.GetRequiredService<EncoderCatalog>().ImportAsync(file, Path.GetExtension(path), ct);
            hasher = new PackageSummary(imported.Version, imported.Bits, string.Join("+", imported.Modalities.Order()), imported.SharesCodeSpace);
        }
        var store = services.GetRequiredService<ICodeStore>();
        if (await store.GetActiveEncoderAsync(ct) is null) await store.SetActiveEncoderAsync(hasher.Version, ct);
        Console.WriteLine($"Encoder {hasher.Version} from {path}: {hasher.Bits} bits, {hasher.Modalities}" +
            (hasher.Shared ? ", one code space" : "") + ".");
        return hasher.Version;
    }

    /// <summary>Re-indexes the archive to <paramref name="version"/> when another encoder is active; waits for the run to end.</summary>
    public static async Task ReindexIfOtherActiveAsync(IServiceProvider services, string version, CancellationToken ct)
    {
        var active = await services.GetRequiredService<ICodeStore>().GetActiveEncoderAsync(ct);
        if (active == version) return;
        Console.WriteLine($"Re-indexing the archive from {active} to {version} ...");
        var options = services.GetRequiredService<ArchiveOptions>();
        var encoder = await services.GetRequiredService<ArchiveReindexer>().PrepareEncoderAsync(version, options.DefaultBits, options.DefaultSeed, ct);
        var durable = services.GetRequiredService<DurableTaskClient>();
        var id = await durable.ScheduleNewOrchestrationInstanceAsync(nameof(ReindexArchive),
            new ReindexState(encoder, options.ReindexBatchSize, ReindexArchive.DefaultPageSize, null, 0, 0, 0, false), ct);
        var state = await services.GetRequiredService<DurableWait>().ForCompletionAsync(durable, id, ct);
        var result = state.ReadOutputAs<ReindexState>();
        if (state.RuntimeStatus != OrchestrationRuntimeStatus.Completed || result is not { Activated: true })
            throw new InvalidOperationException($"re-index {id} to {version} ended {state.RuntimeStatus}: {state.FailureDetails?.ErrorMessage}");
        Console.WriteLine($"Re-indexed: {result.Indexed} patches, {result.Skipped} of another modality skipped, {result.Quarantined} quarantined; " +
            $"queries use {version}.");
    }

    private sealed record PackageSummary(string Version, int Bits, string Modalities, bool Shared);
}
