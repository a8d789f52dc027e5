using BitEarth.Functions.Hosting;
using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Extensions.Hosting;

var builder = FunctionsApplication.CreateBuilder(args);
builder.ConfigureFunctionsWebApplication();
builder.Services.AddBitEarthArchive(builder.Configuration);
builder.Services.AddAzureStores(builder.Configuration);
builder.Services.AddBitEarthTelemetry(builder.Configuration);
builder.Build().Run();
