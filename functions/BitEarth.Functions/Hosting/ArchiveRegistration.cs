using BitEarth.Core.Archive;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace BitEarth.Functions.Hosting;

/// <summary>The domain services every host needs; the stores (IBlobStore, ICodeStore) are registered by the host.</summary>
public static class ArchiveRegistration
{
    public static IServiceCollection AddBitEarthArchive(this IServiceCollection services, IConfiguration configuration)
    {
        var options = configuration.GetSection("BitEarth").Get<ArchiveOptions>() ?? new ArchiveOptions();
        services.AddSingleton(options);
        services.AddSingleton<EncoderCatalog>();
        services.AddSingleton<ResidentIndexCache>();
        services.AddSingleton<PatchIngestor>();
        services.AddSingleton<ArchiveSearch>();
        services.AddSingleton<ArchiveReindexer>();
        services.AddSingleton<ArchiveReadiness>();
        return services;
    }
}
