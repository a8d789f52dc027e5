using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask;

namespace BitEarth.Functions.Reindex;

/// <summary>
/// Re-index to an encoder fitted on the archive itself (POST api/reindex {"method": "resnet-itq"}): one activity fits
/// and publishes it, then <see cref="ReindexArchive"/> runs as a sub-orchestration and activates it at the end. The
/// custom status says which phase runs; the output is the re-index's final state.
/// </summary>
public sealed class FitAndReindex : TaskOrchestrator<FitAndReindexInput, ReindexState>
{
    [Function(nameof(FitAndReindex))]
    public static Task<ReindexState> Run([OrchestrationTrigger] TaskOrchestrationContext context) =>
        new FitAndReindex().RunAsync(context, context.GetInput<FitAndReindexInput>()!);

    public override async Task<ReindexState> RunAsync(TaskOrchestrationContext context, FitAndReindexInput input)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(input);
        context.SetCustomStatus(new { phase = "fitting", input.Fit.Bits });
        var encoder = await context.CallActivityAsync<string>(nameof(FitPretrainedEncoder), input.Fit);
        var start = new ReindexState(encoder, input.BatchSize, input.PageSize, null, 0, 0, 0, false);
        context.SetCustomStatus(start);
        var state = await context.CallSubOrchestratorAsync<ReindexState>(nameof(ReindexArchive), start);
        context.SetCustomStatus(state);
        return state;
    }
}
