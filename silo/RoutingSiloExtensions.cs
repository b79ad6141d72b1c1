using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Orleans.Configuration;
using Orleans.Serialization;
using Orleans.Storage;
using Routing.Grains.Events;
using Routing.Grains.Infrastructure;

namespace Routing.Silo;

/// <summary>Silo configuration shared by the embedded API host, headless silos and test clusters.
/// Development and production differ here only, never in grain code.</summary>
public static class RoutingSiloExtensions
{
    /// <summary>Configures clustering and storage from configuration (see README "Configuration").</summary>
    public static ISiloBuilder AddRoutingSilo(this ISiloBuilder silo, IConfiguration configuration)
    {
        var options = SiloSettings.From(configuration);
        switch (options.StorageProvider)
        {
            case "Memory":
                silo.UseLocalhostClustering(options.SiloPort, options.GatewayPort, serviceId: options.ServiceId, clusterId: options.ClusterId);
                silo.AddMemoryGrainStorage(StorageNames.Routing);
                // The default serializer of memory storage is Newtonsoft JSON, which dominated a flash sale's CPU
                // profile; Orleans' own binary serializer is several times cheaper per write.
                silo.Services.AddOptions<MemoryGrainStorageOptions>(StorageNames.Routing)
                    .Configure<Serializer>((o, serializer) => o.GrainStorageSerializer = new OrleansGrainStorageSerializer(serializer));
                break;
            default:
                throw new InvalidOperationException(
                    $"Storage:Provider '{options.StorageProvider}' is not supported; use 'Memory'.");
        }
        // Traces follow a request into every grain it calls, when traces are exported at all (see RoutingTelemetry).
        if (RoutingTelemetry.TracingEnabled(configuration)) silo.AddActivityPropagation();
        silo.ConfigureServices(services => services.AddRoutingGrainServices());
        return silo;
    }

    /// <summary>Services the grains depend on. Idempotent, so test clusters may call it too.</summary>
    public static IServiceCollection AddRoutingGrainServices(this IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<LocalEventStream>();
        services.TryAddSingleton<IRoutingEventPublisher>(sp => sp.GetRequiredService<LocalEventStream>());
        services.TryAddSingleton<RoutingReadModel>();
        return services;
    }
}

/// <summary>Silo settings read from configuration, with the embedded defaults.</summary>
public sealed record SiloSettings(string StorageProvider, int SiloPort, int GatewayPort, string ClusterId, string ServiceId)
{
    public static SiloSettings From(IConfiguration c) => new(
        c["Storage:Provider"] ?? "Memory",
        c.GetValue("Orleans:SiloPort", EndpointOptions.DEFAULT_SILO_PORT),
        c.GetValue("Orleans:GatewayPort", EndpointOptions.DEFAULT_GATEWAY_PORT),
        c["Orleans:ClusterId"] ?? "routing",
        c["Orleans:ServiceId"] ?? "routing");
}
