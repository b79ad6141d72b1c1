using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using Routing.Grains.Infrastructure;

namespace Routing.Silo;

/// <summary>OpenTelemetry for every host: the engine's metrics (<see cref="RoutingMetrics"/>) and Orleans' meters always
/// (cheap counters, read by an exporter off the hot path); traces only when they go somewhere, i.e. when an OTLP endpoint
/// is configured (<c>OTEL_EXPORTER_OTLP_ENDPOINT</c> or <c>Telemetry:OtlpEndpoint</c>). Then Orleans propagates the
/// activity across grain calls, so one trace runs from the HTTP request through every grain it reaches.</summary>
public static class RoutingTelemetry
{
    public static readonly string[] OrleansActivitySources = ["Microsoft.Orleans.Runtime", "Microsoft.Orleans.Application"];
    public const string OrleansMeter = "Microsoft.Orleans";

    /// <summary>The OTLP endpoint, or null when telemetry stays in-process (metrics for the Prometheus endpoint only).</summary>
    public static Uri? OtlpEndpoint(IConfiguration configuration) =>
        (configuration["Telemetry:OtlpEndpoint"] ?? configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]) is { Length: > 0 } url ? new Uri(url) : null;

    public static bool TracingEnabled(IConfiguration configuration) => OtlpEndpoint(configuration) is not null;

    /// <summary>Adds OpenTelemetry; <paramref name="metrics"/> and <paramref name="tracing"/> let a host add its own
    /// instrumentation and exporters (the API adds ASP.NET Core and the Prometheus endpoint).</summary>
    public static IOpenTelemetryBuilder AddRoutingTelemetry(this IServiceCollection services, IConfiguration configuration, string serviceName,
        Action<MeterProviderBuilder>? metrics = null, Action<TracerProviderBuilder>? tracing = null)
    {
        var otlp = OtlpEndpoint(configuration);
        var builder = services.AddOpenTelemetry()
            .ConfigureResource(r => r.AddService(serviceName))
            .WithMetrics(m =>
            {
                m.AddMeter(RoutingMetrics.MeterName, OrleansMeter);
                metrics?.Invoke(m);
                if (otlp is not null) m.AddOtlpExporter(o => o.Endpoint = otlp);
            });
        if (otlp is not null)
        {
            builder.WithTracing(t =>
            {
                t.AddSource(OrleansActivitySources);
                tracing?.Invoke(t);
                t.AddOtlpExporter(o => o.Endpoint = otlp);
            });
        }
        return builder;
    }
}
