using System.Net.Sockets;
using DurableTask.AzureStorage;
using DurableTask.Core;
using BitEarth.Functions.Hosting;
using Grpc.Net.Client;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.DurableTask.Client;
using Microsoft.DurableTask.Testing.Sidecar;
using Microsoft.DurableTask.Testing.Sidecar.Grpc;
using Microsoft.DurableTask.Worker;

namespace BitEarth.Local.Durable;

/// <summary>
/// A real Durable Task engine inside the local host: the gRPC task-hub sidecar (what the Functions host provides in
/// Azure) served on a Unix socket of its own, backed by an in-memory or an Azure Storage (Azurite) orchestration
/// service, with the Durable Task worker and client of the isolated SDK connected to it.
/// </summary>
public static class LocalDurableEngine
{
    public const string DefaultTaskHub = "BitEarthHub";

    // The sidecar's dispatcher stops fetching at this many work items in flight and then polls every 500 ms, so a cap
    // that concurrent queries reach (16 clients x 8 shard-group activities) stalls every query by half-second steps:
    // measured with bench/BitEarth.ServiceBench, the durable path fell from 59 q/s at 1 client to 9 q/s at 8 with a cap of 32.
    // The worker's default (100 per core) keeps it out of reach; the thread pool, not this cap, bounds what runs at once.
    private static readonly int MaxConcurrentWorkItems = 100 * Environment.ProcessorCount;

    /// <param name="taskHub">Task hub on the Azure Storage backend; hosts on one hub share (and resume) its orchestrations.</param>
    /// <param name="journal">With the in-memory engine: where re-index runs are kept across restarts.</param>
    public static void AddLocalDurableEngine(this WebApplicationBuilder builder, string backend, string? storageConnection, string taskHub,
        OrchestrationJournal? journal = null)
    {
        // A socket file rather than a loopback port: nothing to pick, so nothing another process can take in between.
        var socket = Path.Combine(Path.GetTempPath(), $"bitearth-durable-{Guid.NewGuid():N}.sock");
        builder.WebHost.ConfigureKestrel(k => k.ListenUnixSocket(socket, l => l.Protocols = HttpProtocols.Http2));
        builder.Services.AddGrpc();

        // Every commit is reported to the completion signal, which ends the waits of queries without polling storage.
        var completions = new OrchestrationCompletions();
        builder.Services.AddSingleton(completions);
        builder.Services.AddSingleton<IOrchestrationCompletionSignal>(completions);
        var (service, client) = backend == "azurite" ? AzureStorage(storageConnection!, taskHub, completions.Committed) : InMemory(journal, completions.Committed);
        builder.Services.AddSingleton(service);
        builder.Services.AddSingleton(client);
        builder.Services.AddSingleton<TaskHubGrpcServer>();

        var channel = GrpcChannel.ForAddress("http://localhost", new GrpcChannelOptions { HttpHandler = UnixSocketHandler(socket) });
        builder.Services.AddSingleton(channel);
        builder.Services.AddDurableTaskWorker(w => w.AddTasks(FunctionTasks.Register).UseGrpc(channel));
        builder.Services.AddDurableTaskClient(c => c.UseGrpc(channel));
        builder.Services.Configure<DurableTaskWorkerOptions>(o =>
        {
            o.Concurrency.MaximumConcurrentActivityWorkItems = MaxConcurrentWorkItems;
            o.Concurrency.MaximumConcurrentOrchestrationWorkItems = MaxConcurrentWorkItems;
        });
    }

    public static void MapLocalDurableEngine(this WebApplication app)
    {
        app.MapGrpcService<TaskHubGrpcServer>();
        // The worker's work-item stream stays open until the worker stops, but the server stops first and waits for open
        // streams up to the host's shutdown timeout (30 s per stop); closing the channel when stopping begins ends them.
        app.Lifetime.ApplicationStopping.Register(() => app.Services.GetRequiredService<GrpcChannel>().Dispose());
    }

    private static (IOrchestrationService, IOrchestrationServiceClient) InMemory(OrchestrationJournal? journal, Action<OrchestrationState> completed)
    {
        var memory = new InMemoryOrchestrationService(LoggerFactory.Create(_ => { }));
        if (journal is null) return (SidecarOrchestrationService.Wrap(memory, MaxConcurrentWorkItems, completed), memory);
        // Journaled first: a waiter released by a commit finds the run's state already kept.
        Action<OrchestrationState> committed = journal.Committed;
        committed += completed;
        return (SidecarOrchestrationService.Wrap(memory, MaxConcurrentWorkItems, committed), JournaledOrchestrationClient.Wrap(memory, journal));
    }

    private static (IOrchestrationService, IOrchestrationServiceClient) AzureStorage(string connection, string taskHub, Action<OrchestrationState> committed)
    {
        var service = new AzureStorageOrchestrationService(new AzureStorageOrchestrationServiceSettings
        {
            TaskHubName = taskHub,
            StorageAccountClientProvider = new StorageAccountClientProvider(connection),
            // One worker per process: hosts on one machine share a task hub as instances do (the default, the machine
            // name, would make them one owner of every control-queue partition lease).
            WorkerId = $"{Environment.MachineName}-{Environment.ProcessId}",
            // A killed host's control-queue partitions (the orchestrations it ran) pass to the others once its leases
            // expire: 15 s after its last renewal, found within 5 s, instead of the default 30 s and 10 s.
            LeaseInterval = TimeSpan.FromSeconds(15),
            LeaseRenewInterval = TimeSpan.FromSeconds(5),
            LeaseAcquireInterval = TimeSpan.FromSeconds(5),
            // Above the longest activity (the sidecar does not renew locks) but short enough that a killed
            // run resumes within seconds, not the default five minutes.
            WorkItemQueueVisibilityTimeout = TimeSpan.FromSeconds(20),
            // Likewise for orchestration messages: a host prefetches them, and those a killed host held stay invisible
            // this long (the default five minutes). Orchestrator episodes here take milliseconds.
            ControlQueueVisibilityTimeout = TimeSpan.FromSeconds(20),
            MaxConcurrentTaskActivityWorkItems = MaxConcurrentWorkItems,
            MaxConcurrentTaskOrchestrationWorkItems = MaxConcurrentWorkItems,
            MaxQueuePollingInterval = TimeSpan.FromSeconds(1),
        });
        return (SidecarOrchestrationService.Wrap(service, committed: committed), service);
    }

    private static SocketsHttpHandler UnixSocketHandler(string path) => new()
    {
        ConnectCallback = async (_, ct) =>
        {
            var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
            try
            {
                await socket.ConnectAsync(new UnixDomainSocketEndPoint(path), ct);
                return new NetworkStream(socket, ownsSocket: true);
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        },
    };
}
