using Microsoft.Extensions.Hosting;
using Routing.Silo;
using Routing.Silo.Postgres;

// A headless silo: `dotnet run --project silo`. The API hosts one in-process by default.
// `dotnet run --project silo -- migrate` applies the PostgreSQL schema migrations and exits.
var builder = Host.CreateApplicationBuilder([.. args.Where(a => a != "migrate")]);
try
{
    if (args.Contains("migrate")) return await MigrateCommand.RunAsync(builder.Configuration, Console.Out);
    builder.UseOrleans(silo => silo.AddRoutingSilo(builder.Configuration));
    builder.Services.AddRoutingTelemetry(builder.Configuration, "routing-silo");
    await builder.Build().RunAsync();
    return 0;
}
catch (Exception e) when (StartupFailure.Find(e) is { } failure)
{
    Console.Error.WriteLine($"routing silo: {failure.Message}");
    return 1;
}
