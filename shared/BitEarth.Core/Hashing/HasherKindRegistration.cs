using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace BitEarth.Core.Hashing;

/// <summary>Registers <see cref="HasherKinds"/> with Core's kinds, and lets other assemblies add theirs.</summary>
public static class HasherKindRegistration
{
    public static IServiceCollection AddHasherKinds(this IServiceCollection services)
    {
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHasherKind, LshHasherKind>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHasherKind, KernelLshHasherKind>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHasherKind, SupervisedKernelHasherKind>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHasherKind, MultiCodeHasherKind>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHasherKind, PrimitiveMultiCodeHasherKind>());
        services.TryAddSingleton<HasherKinds>();
        return services;
    }

    /// <summary>Adds <typeparamref name="TKind"/> to the registry (and Core's kinds, if not there yet).</summary>
    public static IServiceCollection AddHasherKind<TKind>(this IServiceCollection services) where TKind : class, IHasherKind
    {
        services.AddHasherKinds();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHasherKind, TKind>());
        return services;
    }
}
