using BitEarth.Core.Encoders;
using BitEarth.Core.Stores;
using BitEarth.Onnx.Pretrained;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask;
using Microsoft.Extensions.Hosting;

namespace BitEarth.Functions.Reindex;

/// <summary>
/// Activity: fits the pretrained ResNet-18 + ITQ encoder on a seeded sample of the archive's patch blobs, publishes it
/// to the encoders container and marks it pending; returns its version. A redelivery fits the same sample with the same
/// seed and so publishes the same version again (idempotent).
/// </summary>
public sealed class FitPretrainedEncoder(IBlobStore blobs, ICodeStore store, EncoderCatalog encoders, IHostApplicationLifetime lifetime)
    : TaskActivity<FitPretrainedEncoderInput, string>
{
    [Function(nameof(FitPretrainedEncoder))]
    public async Task<string> Run([ActivityTrigger] FitPretrainedEncoderInput input, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(input);
        var sample = ArchiveSample.ReadAsync(blobs, input.SamplePerModality, input.Seed, ct);
        var hasher = await ResNetItqHasher.FitAsync(sample, input.Bits, input.Seed, ct: ct);
        await encoders.PublishAsync(hasher, ct);
        await store.AddPendingEncoderAsync(hasher.Version, ct);
        return hasher.Version;
    }

    /// <summary>The Durable Task worker passes no token: the host stopping is what cancels the activity.</summary>
    public override Task<string> RunAsync(TaskActivityContext context, FitPretrainedEncoderInput input) =>
        Run(input, lifetime.ApplicationStopping);
}
