using System.CommandLine;
using BitEarth.Local;
using BitEarth.Local.Startup;

var archive = new Option<string?>("--archive") { Description = "A real BigEarthNet (v1/v2) or EuroSAT folder to ingest instead of the synthetic archive" };
var encoder = new Option<string?>("--encoder") { Description = "An encoder package (the trainer's <version>.zip) to hash with: imported, activated, or the archive re-indexed to it" };
var data = new Option<string?>("--data") { Description = "Directory of the embedded stores (default ./.bitearth)" };
var port = new Option<int>("--port") { Description = "HTTP port on 127.0.0.1 (0: any free port, printed at start)", DefaultValueFactory = _ => 7071 };
var backend = new Option<string>("--backend") { Description = "embedded | azurite (Azurite + Cosmos DB server)", DefaultValueFactory = _ => "embedded" };
backend.AcceptOnlyFromAmong("embedded", "azurite");
var synthetic = new Option<int>("--synthetic") { Description = "S2/S1 pairs in the synthetic archive", DefaultValueFactory = _ => 150 };
var syntheticChanges = new Option<int>("--synthetic-changes") { Description = "Places seen at two dates (land-cover transitions) added to the synthetic archive, for POST /api/query/change" };
var defaultEncoder = new Option<string>("--default-encoder")
{
    Description = "Encoder of a fresh archive: resnet-itq (ImageNet ResNet-18 features, ITQ fitted on the archive) | lsh",
    DefaultValueFactory = _ => DefaultEncoder.Learned,
};
defaultEncoder.AcceptOnlyFromAmong([.. DefaultEncoder.Choices]);
var once = new Option<bool>("--once") { Description = "Exit after the example query instead of serving" };

var root = new RootCommand("BitEarth local host: the Function App's functions on 127.0.0.1 with a local Durable Task engine")
{
    archive, encoder, data, port, backend, synthetic, syntheticChanges, defaultEncoder, once,
};
root.SetAction((parsed, ct) =>
{
    var options = new LocalHostOptions
    {
        Archive = parsed.GetValue(archive),
        Encoder = parsed.GetValue(encoder) is { } package ? Path.GetFullPath(package) : null,
        Data = parsed.GetValue(data) ?? new LocalHostOptions().Data,
        Port = parsed.GetValue(port),
        Backend = parsed.GetValue(backend)!,
        Synthetic = parsed.GetValue(synthetic),
        SyntheticChanges = parsed.GetValue(syntheticChanges),
        DefaultEncoder = parsed.GetValue(defaultEncoder)!,
        Once = parsed.GetValue(once),
    };
    return LocalHost.RunAsync(options, ct);
});
return await root.Parse(args).InvokeAsync();
