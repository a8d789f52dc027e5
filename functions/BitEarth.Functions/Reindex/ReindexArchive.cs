using BitEarth.Core.Reindex;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask;

namespace BitEarth.Functions.Reindex;

/// <summary>
/// Re-hashes every patch blob with a new encoder, one page of blob names per generation, one activity per batch;
/// activates the encoder only after the last page, so queries switch versions in one step. A killed run replays
/// from its history: finished batches are not redone, an interrupted one is redone idempotently.
/// </summary>
public sealed class ReindexArchive : TaskOrchestrator<ReindexState, ReindexState>
{
    /// <summary>Blob names per generation; Azure Blob Storage lists at most 5000 per call.</summary>
    public const int DefaultPageSize = 1000;

    public const int MaxPageSize = 5000;

    [Function(nameof(ReindexArchive))]
    public static Task<ReindexState> Run([OrchestrationTrigger] TaskOrchestrationContext context) =>
        new ReindexArchive().RunAsync(context, context.GetInput<ReindexState>()!);

    public override async Task<ReindexState> RunAsync(TaskOrchestrationContext context, ReindexState state)
    {
        // ContinueAsNew starts each generation without a custom status: show the carried progress from its first checkpoint.
        context.SetCustomStatus(state);
        if (!state.Listed)
        {
            var page = await context.CallActivityAsync<BlobPage>(nameof(ListPatchBlobs), new BlobPageRequest(state.Cursor, state.PageSize));
            var results = await Task.WhenAll(page.Names.Chunk(state.BatchSize).Select(batch =>
                context.CallActivityAsync<ReindexBatchResult>(nameof(ReindexBatch), new ReindexBatchInput(state.Encoder, batch))));
            state = state with
            {
                Cursor = page.Next,
                Indexed = state.Indexed + results.Sum(r => r.Indexed),
                Quarantined = state.Quarantined + results.Sum(r => r.Quarantined),
                Missing = state.Missing + results.Sum(r => r.Missing),
                Skipped = state.Skipped + results.Sum(r => r.Skipped),
                Listed = page.Next is null,
            };
            context.SetCustomStatus(state);
            if (!state.Listed)
            {
                context.ContinueAsNew(state);
                return state;
            }
        }
        // A run restarted from a state past its last page (the local host resuming one) goes straight on from here.
        if (!state.Activated)
        {
            await context.CallActivityAsync(nameof(ActivateEncoder), state.Encoder);
            state = state with { Activated = true };
            context.SetCustomStatus(state);
        }
        return state;
    }
}
