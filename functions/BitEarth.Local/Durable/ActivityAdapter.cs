using Microsoft.DurableTask;

namespace BitEarth.Local.Durable;

/// <summary>Runs a Function App activity method (input, cancellation token) as a Durable Task activity.</summary>
public sealed class ActivityAdapter<TInput, TOutput>(Func<TInput, CancellationToken, Task<TOutput>> run) : TaskActivity<TInput, TOutput>
{
    public override Task<TOutput> RunAsync(TaskActivityContext context, TInput input) => run(input, CancellationToken.None);
}
