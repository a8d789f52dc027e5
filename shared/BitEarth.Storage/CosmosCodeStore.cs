using System.Net;
using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using BitEarth.Core.Stores;
using Microsoft.Azure.Cosmos;

namespace BitEarth.Storage;

/// <summary>
/// Azure Cosmos DB (NoSQL API) behind <see cref="ICodeStore"/>. Codes are partitioned by shard and read with a
/// single-partition query; patches and the control item are point reads by id. Documents are written with the
/// stream API and System.Text.Json, so the store behaves the same whatever serializer the client was built with.
/// A code's <see cref="CodeRecord.Stamp"/> is the item's system property <c>_ts</c>, which the service sets on every write.
/// </summary>
public sealed class CosmosCodeStore : ICodeStore
{
    public const string CodesContainer = "codes";
    public const string PatchesContainer = "patches";
    public const string ControlContainer = "control";
    private const string ActiveEncoderId = "active-encoder";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter() },
        TypeInfoResolver = new DefaultJsonTypeInfoResolver { Modifiers = { StampIsSystemTimestamp } },
    };

    private readonly int _shardPageSize;
    private readonly Container _codes;
    private readonly Container _patches;
    private readonly Container _control;

    /// <summary>Uses existing containers; see <see cref="CreateAsync"/> to create them first.</summary>
    /// <param name="shardPageSize">Codes per query page when a shard is read; fewer round trips for large shards.</param>
    public CosmosCodeStore(CosmosClient client, string databaseName, int shardPageSize = 1000)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(shardPageSize, 1);
        _shardPageSize = shardPageSize;
        Location = $"{client.Endpoint}{databaseName}";
        var database = client.GetDatabase(databaseName);
        _codes = database.GetContainer(CodesContainer);
        _patches = database.GetContainer(PatchesContainer);
        _control = database.GetContainer(ControlContainer);
    }

    /// <summary>Creates the database and its three containers if missing, then returns a store over them.</summary>
    public static async Task<CosmosCodeStore> CreateAsync(CosmosClient client, string databaseName,
        int shardPageSize = 1000, CancellationToken ct = default)
    {
        await EnsureCreatedAsync(client, databaseName, ct);
        return new CosmosCodeStore(client, databaseName, shardPageSize);
    }

    public static async Task EnsureCreatedAsync(CosmosClient client, string databaseName, CancellationToken ct = default)
    {
        Database database = await client.CreateDatabaseIfNotExistsAsync(databaseName, cancellationToken: ct);
        var codes = new ContainerProperties(CodesContainer, "/shard");
        // Codes are only ever read whole by shard; indexing their bytes would cost RUs on every write for nothing.
        codes.IndexingPolicy.ExcludedPaths.Add(new ExcludedPath { Path = "/code/?" });
        await database.CreateContainerIfNotExistsAsync(codes, cancellationToken: ct);
        await database.CreateContainerIfNotExistsAsync(new ContainerProperties(PatchesContainer, "/id"),
            cancellationToken: ct);
        await database.CreateContainerIfNotExistsAsync(new ContainerProperties(ControlContainer, "/id"),
            cancellationToken: ct);
    }

    /// <summary>The account endpoint and database name, e.g. "https://acct.documents.azure.com:443/bitearth".</summary>
    public string Location { get; }

    public Task UpsertCodeAsync(CodeRecord record, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(record);
        return UpsertAsync(_codes, record, record.Id, new PartitionKey(record.Shard), ct);
    }

    public IAsyncEnumerable<CodeRecord> ReadShardAsync(string shard, CancellationToken ct = default) =>
        QueryShardAsync(shard, new QueryDefinition("SELECT * FROM c WHERE c.shard = @shard").WithParameter("@shard", shard), ct);

    /// <summary>One partition's items with <c>_ts</c> at or after <paramref name="since"/>.</summary>
    public IAsyncEnumerable<CodeRecord> ReadShardSinceAsync(string shard, long since, CancellationToken ct = default) =>
        QueryShardAsync(shard, new QueryDefinition("SELECT * FROM c WHERE c.shard = @shard AND c._ts >= @since")
            .WithParameter("@shard", shard).WithParameter("@since", since), ct);

    // The partition key option confines the query to one partition; cosmosdb-server also wants that filter in the text.
    private async IAsyncEnumerable<CodeRecord> QueryShardAsync(string shard, QueryDefinition query,
        [EnumeratorCancellation] CancellationToken ct)
    {
        var options = new QueryRequestOptions { PartitionKey = new PartitionKey(shard), MaxItemCount = _shardPageSize };
        using var pages = _codes.GetItemQueryStreamIterator(query, requestOptions: options);
        while (pages.HasMoreResults)
        {
            using var page = await pages.ReadNextAsync(ct);
            page.EnsureSuccessStatusCode();
            var body = await JsonSerializer.DeserializeAsync<QueryPage<CodeRecord>>(page.Content, Json, ct)
                       ?? throw new InvalidDataException($"Cosmos returned an empty query page for shard {shard}");
            foreach (var record in body.Documents)
                yield return record;
        }
    }

    public Task UpsertPatchAsync(PatchRecord patch, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(patch);
        return UpsertAsync(_patches, patch, patch.Id, new PartitionKey(patch.Id), ct);
    }

    public Task<PatchRecord?> GetPatchAsync(string patchId, CancellationToken ct = default) =>
        ReadAsync<PatchRecord>(_patches, patchId, ct);

    public async Task<string?> GetActiveEncoderAsync(CancellationToken ct = default) =>
        (await GetEncoderStateAsync(ct)).Active;

    public async Task<EncoderState> GetEncoderStateAsync(CancellationToken ct = default) =>
        (await ReadAsync<ControlRecord>(_control, ActiveEncoderId, ct))?.State ?? EncoderState.Empty;

    public Task AddPendingEncoderAsync(string encoder, CancellationToken ct = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(encoder);
        return UpdateEncodersAsync(state => state.WithPending(encoder), ct);
    }

    public Task SetActiveEncoderAsync(string encoder, CancellationToken ct = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(encoder);
        return UpdateEncodersAsync(state => state.Activated(encoder), ct);
    }

    /// <summary>
    /// Read, change, write back only if nobody wrote in between (ETag; create fails if another created it first),
    /// else read again: a re-index being prepared while another activates must keep both changes.
    /// </summary>
    private async Task UpdateEncodersAsync(Func<EncoderState, EncoderState> change, CancellationToken ct)
    {
        var key = new PartitionKey(ActiveEncoderId);
        while (true)
        {
            ResponseMessage written;
            using (var read = await _control.ReadItemStreamAsync(ActiveEncoderId, key, cancellationToken: ct))
            {
                if (read.StatusCode == HttpStatusCode.NotFound)
                {
                    using var body = Serialize(ControlRecord.Of(change(EncoderState.Empty)));
                    written = await _control.CreateItemStreamAsync(body, key, cancellationToken: ct);
                }
                else
                {
                    read.EnsureSuccessStatusCode();
                    var current = await JsonSerializer.DeserializeAsync<ControlRecord>(read.Content, Json, ct);
                    using var body = Serialize(ControlRecord.Of(change(current?.State ?? EncoderState.Empty)));
                    written = await _control.ReplaceItemStreamAsync(body, ActiveEncoderId, key,
                        new ItemRequestOptions { IfMatchEtag = read.Headers.ETag }, ct);
                }
            }
            using (written)
            {
                if (written.StatusCode is HttpStatusCode.Conflict or HttpStatusCode.PreconditionFailed) continue;
                written.EnsureSuccessStatusCode();
                return;
            }
        }
    }

    private static MemoryStream Serialize<T>(T document) => new(JsonSerializer.SerializeToUtf8Bytes(document, Json));

    private static async Task UpsertAsync<T>(Container container, T document, string id, PartitionKey key,
        CancellationToken ct)
    {
        CosmosIds.Validate(id);
        using var body = Serialize(document);
        using var response = await container.UpsertItemStreamAsync(body, key, cancellationToken: ct);
        response.EnsureSuccessStatusCode();
    }

    private static async Task<T?> ReadAsync<T>(Container container, string id, CancellationToken ct) where T : class
    {
        CosmosIds.Validate(id);
        using var response = await container.ReadItemStreamAsync(id, new PartitionKey(id), cancellationToken: ct);
        if (response.StatusCode == HttpStatusCode.NotFound)
            return null;
        response.EnsureSuccessStatusCode();
        return await JsonSerializer.DeserializeAsync<T>(response.Content, Json, ct);
    }

    /// <summary>Reads <see cref="CodeRecord.Stamp"/> from <c>_ts</c> and never writes it: the service owns that property.</summary>
    private static void StampIsSystemTimestamp(JsonTypeInfo type)
    {
        if (type.Type != typeof(CodeRecord)) return;
        var stamp = type.Properties.Single(p => p.Name == "stamp");
        stamp.Name = "_ts";
        stamp.ShouldSerialize = (_, _) => false;
    }

    /// <summary>
    /// The encoder state as one control item, so activation and the end of pending are one write; items written before
    /// pending encoders existed have none.
    /// </summary>
    private sealed record ControlRecord(string Id, string? Encoder, IReadOnlyList<string>? Pending)
    {
        [JsonIgnore]
        public EncoderState State => new(Encoder, Pending ?? []);

        public static ControlRecord Of(EncoderState state) => new(ActiveEncoderId, state.Active, state.Pending);
    }

    /// <summary>The body of a query response page; Cosmos spells the array "Documents".</summary>
    private sealed record QueryPage<T>([property: JsonPropertyName("Documents")] List<T> Documents);
}
