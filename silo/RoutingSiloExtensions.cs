using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;
using Orleans.Configuration;
using Orleans.Runtime.Hosting;
using Orleans.Serialization;
using Orleans.Storage;
using Routing.Contracts.Orders;
using Routing.Grains.Campaigns;
using Routing.Grains.Distributors;
using Routing.Grains.Events;
using Routing.Grains.History;
using Routing.Grains.Infrastructure;
using Routing.Grains.Orders;
using Routing.Silo.Postgres;

namespace Routing.Silo;

/// <summary>Silo and client configuration shared by the embedded API host, headless silos, API clients and test
/// clusters. Development and production differ here only, never in grain code.</summary>
public static class RoutingSiloExtensions
{
    /// <summary>The ADO.NET invariant of PostgreSQL (Npgsql's provider factory).</summary>
    public const string Invariant = "Npgsql";

    /// <summary>A whole silo from configuration (see README "Configuration"): endpoints, clustering, storage,
    /// reminders, history and the grains' services.</summary>
    public static ISiloBuilder AddRoutingSilo(this ISiloBuilder silo, IConfiguration configuration)
    {
        var settings = RoutingSettings.From(configuration);
        silo.Configure<ClusterOptions>(o =>
        {
            o.ClusterId = settings.ClusterId;
            o.ServiceId = settings.ServiceId;
        });
        if (settings.UsesPostgres)
        {
            silo.ConfigureEndpoints(settings.AdvertisedAddress ?? System.Net.IPAddress.Loopback, settings.SiloPort, settings.GatewayPort,
                listenOnAnyHostAddress: settings.AdvertisedAddress is not null);
            silo.UseAdoNetClustering(o =>
            {
                o.Invariant = Invariant;
                o.ConnectionString = settings.ConnectionString;
            });
        }
        else
        {
            silo.UseLocalhostClustering(settings.SiloPort == 0 ? EndpointOptions.DEFAULT_SILO_PORT : settings.SiloPort, settings.GatewayPort,
                serviceId: settings.ServiceId, clusterId: settings.ClusterId);
            // Orleans:SiloPort=0: listen on a port the OS picks. Orleans names a silo by the port it advertises and
            // refuses 0 there, so the default stands in as the name; nothing dials it, because this cluster is this one
            // silo, its membership table lives in the silo's memory, and a silo delivers its own messages in-process.
            if (settings.SiloPort == 0)
                silo.Configure<EndpointOptions>(o => o.SiloListeningEndpoint = new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, 0));
        }
        silo.AddRoutingStorage(settings);
        silo.Services.Configure<ReservationExpiryOptions>(configuration.GetSection(ReservationExpiryOptions.Section));
        silo.Services.Configure<ForecastOptions>(configuration.GetSection(ForecastOptions.Section));
        silo.Services.AddRoutingGrainServices();
        // Traces follow a request into every grain it calls, when traces are exported at all (see RoutingTelemetry).
        if (RoutingTelemetry.TracingEnabled(configuration)) silo.AddActivityPropagation();
        return silo;
    }

    /// <summary>Grain storage, reminders and history (and, on PostgreSQL, the schema step that precedes them), without
    /// endpoints or clustering: test clusters bring their own.</summary>
    public static ISiloBuilder AddRoutingStorage(this ISiloBuilder silo, RoutingSettings settings)
    {
        if (settings.UsesPostgres)
        {
            silo.Services.AddSingleton(settings);
            silo.Services.AddSingleton<SchemaStartup>();
            silo.Services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>, SiloSchemaStartup>();
            silo.Services.AddGrainStorage(StorageNames.Routing, (sp, _) => new PostgresGrainStorage(sp.GetRequiredService<NpgsqlDataSource>(),
                sp.GetRequiredService<IOptions<ClusterOptions>>().Value.ServiceId, StateSerializer(sp),
                sp.GetRequiredService<ILogger<PostgresGrainStorage>>()));
            silo.UseAdoNetReminderService(o =>
            {
                o.Invariant = Invariant;
                o.ConnectionString = settings.ConnectionString;
            });
        }
        else
        {
            silo.AddMemoryGrainStorage(StorageNames.Routing);
            silo.UseInMemoryReminderService();
        }
        silo.Services.AddOptions<MemoryGrainStorageOptions>(StorageNames.Routing)
            .Configure<IServiceProvider>((o, sp) => o.GrainStorageSerializer = StateSerializer(sp));
        silo.Services.AddRoutingHistory(settings);
        // Orders are kept in the order journal, whatever backs it: their state is their history record.
        silo.Services.AddGrainStorage(StorageNames.Orders, (sp, _) => new OrderJournalStorage(sp.GetRequiredService<OrderStore>()));
        // The decision sweep (held orders' auto-rejection, pre-orders' expiry) is kept by a reminder; each silo's start
        // makes sure it exists (idempotent), so even a fresh memory-mode silo keeps those deadlines.
        silo.AddStartupTask((services, _) => services.GetRequiredService<IGrainFactory>().GetGrain<IDecisionSweepGrain>(0).StartAsync());
        return silo;
    }

    /// <summary>Grain states are [GenerateSerializer] types: they are stored with Orleans' own version-tolerant binary
    /// serializer (the memory provider's default, Newtonsoft JSON, dominated a flash sale's CPU profile).</summary>
    private static OrleansGrainStorageSerializer StateSerializer(IServiceProvider services) =>
        new(services.GetRequiredService<Serializer>());

    /// <summary>The history store, the order journal and the ERP feed: PostgreSQL when configured, otherwise kept in memory in this process.</summary>
    public static IServiceCollection AddRoutingHistory(this IServiceCollection services, RoutingSettings settings)
    {
        if (settings.UsesPostgres)
        {
            // One connection pool per process for Routing's own tables (grain state, the order journal and history).
            services.TryAddSingleton(_ => NpgsqlDataSource.Create(settings.ConnectionString!));
            services.TryAddSingleton<IRoutingHistory>(sp =>
                new PostgresRoutingHistory(sp.GetRequiredService<NpgsqlDataSource>(), sp.GetRequiredService<ILogger<PostgresRoutingHistory>>(),
                    sp.GetService<TimeProvider>()));
            services.TryAddSingleton<IOrderJournal>(sp =>
                new PostgresOrderJournal(sp.GetRequiredService<NpgsqlDataSource>(), sp.GetRequiredService<ILogger<PostgresOrderJournal>>()));
            services.TryAddSingleton<IOperationStore>(sp => new PostgresOperationStore(sp.GetRequiredService<NpgsqlDataSource>()));
            services.TryAddSingleton<IErpFeed>(sp => new PostgresErpFeed(sp.GetRequiredService<NpgsqlDataSource>()));
        }
        else
            services.AddInMemoryHistory();
        return services;
    }

    /// <summary>History, the order journal and the ERP feed in this process's memory: one store serves them all, so an
    /// event is appended by the write that makes it, as in PostgreSQL.</summary>
    private static IServiceCollection AddInMemoryHistory(this IServiceCollection services)
    {
        services.TryAddSingleton(sp => new InMemoryRoutingHistory(StateSerializer(sp)));
        services.TryAddSingleton<IRoutingHistory>(sp => sp.GetRequiredService<InMemoryRoutingHistory>());
        services.TryAddSingleton<IOrderJournal>(sp => sp.GetRequiredService<InMemoryRoutingHistory>());
        services.TryAddSingleton<IErpFeed>(sp => sp.GetRequiredService<InMemoryRoutingHistory>());
        services.TryAddSingleton<IOperationStore, InMemoryOperationStore>();
        return services;
    }

    /// <summary>An API node as an Orleans client of headless silos, finding them through the PostgreSQL membership table.</summary>
    public static IClientBuilder AddRoutingClient(this IClientBuilder client, RoutingSettings settings)
    {
        client.Configure<ClusterOptions>(o =>
        {
            o.ClusterId = settings.ClusterId;
            o.ServiceId = settings.ServiceId;
        });
        client.UseAdoNetClustering(o =>
        {
            o.Invariant = Invariant;
            o.ConnectionString = settings.ConnectionString;
        });
        return client;
    }

    /// <summary>Services the grains depend on. Idempotent, so test clusters may call it too.</summary>
    public static IServiceCollection AddRoutingGrainServices(this IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<LocalEventStream>();
        services.TryAddSingleton<IRoutingEventPublisher>(sp => sp.GetRequiredService<LocalEventStream>());
        services.TryAddSingleton<RoutingReadModel>();
        services.TryAddSingleton<QuotaPools>();
        services.TryAddSingleton<SnapshotOutbox>();
        services.TryAddSingleton<ReservationBatcher>();
        services.TryAddSingleton(sp => new OrderStore(sp.GetRequiredService<IOrderJournal>(), StateSerializer(sp)));
        services.TryAddSingleton<OrderPlacement>();
        services.AddInMemoryHistory();
        services.AddOptions<ReservationExpiryOptions>();
        services.AddOptions<ForecastOptions>();
        return services;
    }
}
