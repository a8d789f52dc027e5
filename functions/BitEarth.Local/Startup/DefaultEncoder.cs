using System.Diagnostics;
using BitEarth.Core;
using BitEarth.Core.Encoders;
using BitEarth.Core.Stores;
using BitEarth.Onnx.Pretrained;

namespace BitEarth.Local.Startup;

/// <summary>
/// Chooses the encoder of a fresh archive before its first ingest. "resnet-itq" (the default) fits the pretrained
/// ResNet-18 + ITQ encoder on a sample of the patches just seeded, publishes it to the encoders container and activates
/// it; "lsh" leaves the choice to the catalog, which creates random-hyperplane LSH on first use. An archive that already
/// has an active encoder (a restart on the same data) keeps it.
/// </summary>
public static class DefaultEncoder
{
    public const string Learned = "resnet-itq";
    public const string Lsh = "lsh";

    public static readonly IReadOnlyList<string> Choices = [Learned, Lsh];

    /// <summary>Returns a line saying what was chosen, for the console.</summary>
    public static async Task<string> EnsureAsync(IServiceProvider services, string choice, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(services);
        var store = services.GetRequiredService<ICodeStore>();
        if (await store.GetActiveEncoderAsync(ct) is { } active) return $"Encoder: {active} (already active, kept).";
        if (choice == Lsh) return "Encoder: random-hyperplane LSH (--default-encoder lsh).";
        if (choice != Learned) throw new ArgumentException($"unknown default encoder '{choice}' (choose {string.Join(" or ", Choices)}).", nameof(choice));

        var options = services.GetRequiredService<ArchiveOptions>();
        var clock = Stopwatch.StartNew();
        var sample = ArchiveSample.ReadAsync(services.GetRequiredService<IBlobStore>(), ArchiveSample.DefaultPerModality, options.DefaultSeed, ct);
        ResNetItqHasher hasher;
        try { hasher = await ResNetItqHasher.FitAsync(sample, options.DefaultBits, options.DefaultSeed, ct: ct); }
        catch (ArgumentException e) { return $"Encoder: random-hyperplane LSH (nothing to fit the learned default on: {e.Message})"; }
        await services.GetRequiredService<EncoderCatalog>().PublishAsync(hasher, ct);
        await store.SetActiveEncoderAsync(hasher.Version, ct);
        var sizes = string.Join(", ", hasher.SampleSizes.Select(kv => $"{kv.Value} {kv.Key}"));
        return $"Encoder: {hasher.Version}, ImageNet ResNet-18 features + ITQ fitted on {sizes} patches in {clock.Elapsed.TotalSeconds:F1} s.";
    }
}
