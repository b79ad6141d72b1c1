using Microsoft.Extensions.Hosting;
using Routing.Silo;

// A headless silo: `dotnet run --project silo`. The API hosts one in-process by default.
var builder = Host.CreateApplicationBuilder(args);
builder.UseOrleans(silo => silo.AddRoutingSilo(builder.Configuration));
builder.Services.AddRoutingTelemetry(builder.Configuration, "routing-silo");
await builder.Build().RunAsync();
