using System.Net;
using System.Net.Sockets;
using DurableTask.AzureStorage;
using DurableTask.Core;
using Grpc.Net.Client;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.DurableTask.Client;
using Microsoft.DurableTask.Testing.Sidecar;
using Microsoft.DurableTask.Testing.Sidecar.Grpc;
using Microsoft.DurableTask.Worker;

namespace BitEarth.Local.Durable;

/// <summary>
/// A real Durable Task engine inside the local host: the gRPC task-hub sidecar (what the Functions host provides in
/// Azure) served on its own loopback HTTP/2 port, backed by an in-memory or an Azure Storage (Azurite) orchestration
/// service, with the Durable Task worker and client of the isolated SDK connected to it.
/// </summary>
public static class LocalDurableEngine
{
    public const string TaskHub = "BitEarthHub";

    // Widest fan-out we issue: 2 modalities x 16 shards / 4 per group = 8; re-index pages fan out 20 batches.
    private const int MaxConcurrentWorkItems = 32;

    public static void AddLocalDurableEngine(this WebApplicationBuilder builder, string backend, string? storageConnection)
    {
        int port = FreeLoopbackPort();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, port, l => l.Protocols = HttpProtocols.Http2));
        builder.Services.AddGrpc();

        var (service, client) = backend == "azurite" ? AzureStorage(storageConnection!) : InMemory();
        builder.Services.AddSingleton(service);
        builder.Services.AddSingleton(client);
        builder.Services.AddSingleton<TaskHubGrpcServer>();

        var channel = GrpcChannel.ForAddress($"http://127.0.0.1:{port}");
        builder.Services.AddDurableTaskWorker(w => w.AddTasks(FunctionTasks.Register).UseGrpc(channel));
        builder.Services.AddDurableTaskClient(c => c.UseGrpc(channel));
        builder.Services.Configure<DurableTaskWorkerOptions>(o =>
        {
            o.Concurrency.MaximumConcurrentActivityWorkItems = MaxConcurrentWorkItems;
            o.Concurrency.MaximumConcurrentOrchestrationWorkItems = MaxConcurrentWorkItems;
        });
        FunctionTasks.AddFunctionClasses(builder.Services);
    }

    public static void MapLocalDurableEngine(this WebApplication app) => app.MapGrpcService<TaskHubGrpcServer>();

    private static (IOrchestrationService, IOrchestrationServiceClient) InMemory()
    {
        var memory = new InMemoryOrchestrationService(LoggerFactory.Create(_ => { }));
        return (ConcurrencyOverride.Wrap(memory, MaxConcurrentWorkItems), memory);
    }

    private static (IOrchestrationService, IOrchestrationServiceClient) AzureStorage(string connection)
    {
        var service = new AzureStorageOrchestrationService(new AzureStorageOrchestrationServiceSettings
        {
            TaskHubName = TaskHub,
            StorageAccountClientProvider = new StorageAccountClientProvider(connection),
            // Above the longest activity (the sidecar does not renew locks) but short enough that a killed
            // run resumes within seconds, not the default five minutes.
            WorkItemQueueVisibilityTimeout = TimeSpan.FromSeconds(20),
            MaxConcurrentTaskActivityWorkItems = MaxConcurrentWorkItems,
            MaxConcurrentTaskOrchestrationWorkItems = MaxConcurrentWorkItems,
            MaxQueuePollingInterval = TimeSpan.FromSeconds(1),
        });
        return (service, service);
    }

    private static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
