using BitEarth.Core;
using BitEarth.Core.Encoders;
using BitEarth.Core.Hashing;
using BitEarth.Core.Ingest;
using BitEarth.Core.Query;
using BitEarth.Core.Reindex;
using BitEarth.Core.Residency;
using BitEarth.Core.Stores;
using BitEarth.Functions.Query;
using BitEarth.Onnx;
using BitEarth.Onnx.Pretrained;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace BitEarth.Functions.Hosting;

/// <summary>The domain services every host needs; the stores (IBlobStore, ICodeStore) are registered by the host.</summary>
public static class ArchiveRegistration
{
    public static IServiceCollection AddBitEarthArchive(this IServiceCollection services, IConfiguration configuration)
    {
        // Trained encoders arrive as ONNX packages in the encoders container (the trainer's zip, or a hasher file);
        // one kind instance loads both, on the execution provider BitEarth:OnnxProvider picks (auto, cuda, cpu).
        var provider = OnnxProviderSetting(configuration["BitEarth:OnnxProvider"]);
        services.AddSingleton(sp => new OnnxSessionFactory(provider, sp.GetRequiredService<ILogger<OnnxSessionFactory>>()));
        services.AddSingleton<OnnxHasherKind>();
        services.AddHasherKinds();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHasherKind, OnnxHasherKind>(sp => sp.GetRequiredService<OnnxHasherKind>()));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IEncoderPackageFormat, OnnxHasherKind>(sp => sp.GetRequiredService<OnnxHasherKind>()));
        // The pretrained ResNet-18 + ITQ encoder (fitted without labels) ships its network with the host.
        services.AddHasherKind<ResNetItqHasherKind>();
        var options = configuration.GetSection("BitEarth").Get<ArchiveOptions>() ?? new ArchiveOptions();
        services.AddSingleton(options);
        services.AddSingleton<EncoderCatalog>();
        // Shards load from their snapshots in the blob store (the constructor leaves that store optional).
        services.AddSingleton(sp => new ResidentIndexCache(sp.GetRequiredService<ICodeStore>(), sp.GetRequiredService<EncoderCatalog>(),
            options, sp.GetRequiredService<IBlobStore>()));
        services.AddSingleton<CodeSnapshotWriter>();
        // Concurrent single-blob ingests on one instance share hasher batches (one network run for many patches).
        services.AddSingleton(new HashCoalescer());
        services.AddSingleton<PatchIngestor>();
        services.AddSingleton<MultiCodeSearch>();
        services.AddSingleton<ArchiveSearch>();
        services.AddSingleton<IPatchMetadata, StorePatchMetadata>();
        services.AddSingleton<FilteredSearch>();
        services.AddSingleton<BitEarth.Core.Change.ChangeSearch>();
        services.AddSingleton<QueryRefinement>();
        services.AddSingleton<ArchiveReindexer>();
        services.AddSingleton<ArchiveReadiness>();
        services.AddMetrics();
        services.AddSingleton<ArchiveMetrics>();
        services.AddSingleton<Refusals>();
        // With the host's completion signal where it registers one (the local host), polling without.
        services.AddSingleton<DurableWait>();
        services.AddSingleton(sp => new QueryFanOutCoalescer(sp.GetRequiredService<DurableWait>(), sp.GetRequiredService<ArchiveMetrics>(), options.FanOutMaxBatch, options.FanOutsRunning,
            sp.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping));
        services.AddSingleton<EasyAuthRoles>();
        // Hosts with Azure stores replace this with AzureArchiveResources (see AddAzureStores).
        services.TryAddSingleton<IArchiveResources, SelfCreatingResources>();
        return services;
    }

    private static OnnxProvider OnnxProviderSetting(string? value)
    {
        if (value is null) return OnnxProvider.Auto;
        if (Enum.TryParse<OnnxProvider>(value, ignoreCase: true, out var provider) && Enum.IsDefined(provider)) return provider;
        throw new InvalidOperationException($"BitEarth:OnnxProvider is '{value}'; it must be auto, cuda or cpu.");
    }
}
