using System.Text.Json.Serialization;
using Microsoft.Extensions.DependencyInjection.Extensions;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;
using Routing.Api.Alerts;
using Routing.Api.Analytics;
using Routing.Api.Auth;
using Routing.Api.Campaigns;
using Routing.Api.Customers;
using Routing.Api.Demo;
using Routing.Api.Distributors;
using Routing.Api.Erp;
using Routing.Api.Infrastructure;
using Routing.Api.Live;
using Routing.Api.Orders;
using Routing.Api.Policies;
using Routing.Api.Products;
using Routing.Api.Stock;
using Routing.Grains.Distributors;
using Routing.Silo;
using Routing.Silo.Postgres;

DefaultEnvironment.Apply();
var builder = WebApplication.CreateBuilder([.. args.Where(a => a != "migrate")]);

try
{
    // `dotnet run --project api -- token --role ops` mints a token and exits.
    if (args.Length > 0 && args[0] == "token")
        return TokenIssuer.RunCommand(args, builder.Configuration, Console.Out, Console.Error);

    // `dotnet run --project api -- migrate` applies the PostgreSQL schema migrations and exits.
    if (args.Contains("migrate")) return await MigrateCommand.RunAsync(builder.Configuration, Console.Out);

    var settings = RoutingSettings.From(builder.Configuration);
    if (settings.IsClient)
    {
        // An API node in front of headless silos: check (or migrate) the schema first, then join as a client.
        builder.Services.AddSingleton(settings);
        builder.Services.AddSingleton<SchemaStartup>();
        builder.Services.AddHostedService<ClientSchemaStartup>();
        builder.Services.AddRoutingHistory(settings);
        builder.UseOrleansClient(client => client.AddRoutingClient(settings));
    }
    else
    {
        builder.UseOrleans(silo => silo.AddRoutingSilo(builder.Configuration));
    }
    // The wall clock the endpoints read (the silo's own in the embedded mode: TryAdd keeps whichever came first).
    builder.Services.TryAddSingleton(TimeProvider.System);
    builder.Services.AddRoutingAuth(builder.Configuration);
    builder.Services.AddProblemDetails(o => o.CustomizeProblemDetails = Problems.Normalize);
    builder.Services.AddExceptionHandler<BadRequestExceptionHandler>();
    builder.Services.AddExceptionHandler<StorageExceptionHandler>();
    builder.Services.AddValidation();
    builder.Services.AddRoutingOpenApi();
    builder.Services.AddHealthChecks().AddCheck<ClusterHealthCheck>("orleans");
    builder.Services.ConfigureHttpJsonOptions(o => StrictJson.Apply(o.SerializerOptions));
    builder.Services.AddRoutingRateLimits(builder.Configuration);
    builder.Services.Configure<ForecastOptions>(builder.Configuration.GetSection(ForecastOptions.Section));
    builder.Services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
    builder.WebHost.ConfigureKestrel(k =>
    {
        k.Limits.MaxRequestBodySize = 1024 * 1024;
        k.AddServerHeader = false; // it only tells an attacker what runs here
    });
    builder.Services.AddSignalR().AddJsonProtocol(o => o.PayloadSerializerOptions.Converters.Add(new JsonStringEnumConverter(allowIntegerValues: false)));
    builder.Services.AddHostedService<LiveEventsBridge>();
    builder.Services.AddSingleton<FlashSaleSimulator>();
    builder.Services.AddHostedService<DemoData>();
    builder.Services.AddHostedService<StartupBanner>();
    builder.Services.AddRoutingTelemetry(builder.Configuration, "routing-api",
        metrics: m => m.AddAspNetCoreInstrumentation().AddPrometheusExporter(),
        tracing: t => t.AddAspNetCoreInstrumentation(o => o.Filter = http => !http.Request.Path.StartsWithSegments("/metrics")));

    var app = builder.Build();

    app.UseSecurityHeaders();
    app.UseExceptionHandler();
    app.UseStatusCodePages();
    app.UseOpsConsole();
    app.UseMiddleware<PlainTextRequests>();
    app.UseAuthentication();
    app.UseRoutingRateLimits();
    app.UseAuthorization();

    app.MapRoutingOpenApi();
    app.MapHealthChecks("/health").AllowAnonymous();
    // Prometheus scrapes with an ops token (scrape config `authorization: { credentials: <token> }`).
    app.MapPrometheusScrapingEndpoint("/metrics").RequireAuthorization(Roles.Ops);
    app.MapDistributorEndpoints();
    app.MapProductEndpoints();
    app.MapCustomerEndpoints();
    app.MapCampaignEndpoints();
    app.MapOrderEndpoints();
    app.MapPaymentEndpoints();
    app.MapExceptionEndpoints();
    app.MapReviewEndpoints();
    app.MapPreOrderEndpoints();
    app.MapTransferEndpoints();
    app.MapReturnEndpoints();
    app.MapStocktakeEndpoints();
    app.MapReconciliationEndpoints();
    app.MapImportEndpoints();
    app.MapFeedEndpoints();
    app.MapForecastEndpoints();
    app.MapAnalyticsEndpoints();
    app.MapPolicyEndpoints();
    app.MapAlertEndpoints();
    app.MapSimulationEndpoints();
    app.MapDevTokenEndpoint();
    // A connection closes when its token expires; the client signs in again and resyncs.
    app.MapHub<OpsHub>(OpsHub.Path, o => o.CloseOnAuthenticationExpiration = true);
    app.MapHub<DistributorHub>(DistributorHub.Path, o => o.CloseOnAuthenticationExpiration = true);

    await app.RunAsync();
    return 0;
}
catch (Exception e) when (StartupFailure.Find(e) is { } failure)
{
    Console.Error.WriteLine($"routing api: {failure.Message}");
    return 1;
}

/// <summary>The API host; public so functional tests can host it with WebApplicationFactory.</summary>
public partial class Program;
