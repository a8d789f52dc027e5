using BitEarth.Core;
using BitEarth.Core.Encoders;
using BitEarth.Core.Hashing;
using BitEarth.Core.Ingest;
using BitEarth.Core.Query;
using BitEarth.Core.Reindex;
using BitEarth.Core.Residency;
using BitEarth.Core.Stores;
using BitEarth.Onnx;
using BitEarth.Onnx.Pretrained;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace BitEarth.Functions.Hosting;

/// <summary>The domain services every host needs; the stores (IBlobStore, ICodeStore) are registered by the host.</summary>
public static class ArchiveRegistration
{
    public static IServiceCollection AddBitEarthArchive(this IServiceCollection services, IConfiguration configuration)
    {
        // Trained encoders arrive as ONNX packages in the encoders container; make their kind loadable.
        services.AddHasherKind<OnnxHasherKind>();
        // The pretrained ResNet-18 + ITQ encoder (fitted without labels) ships its network with the host.
        services.AddHasherKind<ResNetItqHasherKind>();
        var options = configuration.GetSection("BitEarth").Get<ArchiveOptions>() ?? new ArchiveOptions();
        services.AddSingleton(options);
        services.AddSingleton<EncoderCatalog>();
        // Shards load from their snapshots in the blob store (the constructor leaves that store optional).
        services.AddSingleton(sp => new ResidentIndexCache(sp.GetRequiredService<ICodeStore>(), sp.GetRequiredService<EncoderCatalog>(),
            options, sp.GetRequiredService<IBlobStore>()));
        services.AddSingleton<CodeSnapshotWriter>();
        services.AddSingleton<PatchIngestor>();
        services.AddSingleton<ArchiveSearch>();
        services.AddSingleton<IPatchMetadata, StorePatchMetadata>();
        services.AddSingleton<FilteredSearch>();
        services.AddSingleton<QueryRefinement>();
        services.AddSingleton<ArchiveReindexer>();
        services.AddSingleton<ArchiveReadiness>();
        services.AddMetrics();
        services.AddSingleton<ArchiveMetrics>();
        services.AddSingleton<Refusals>();
        services.AddSingleton<EasyAuthRoles>();
        // Hosts with Azure stores replace this with AzureArchiveResources (see AddAzureStores).
        services.TryAddSingleton<IArchiveResources, SelfCreatingResources>();
        return services;
    }
}
