using System.Reflection;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Configuration;
using Orleans.TestingHost;
using Routing.Grains.Distributors;
using Routing.Grains.Events;
using Routing.Grains.Infrastructure;
using Routing.Silo;

namespace Routing.Tests.Postgres;

/// <summary>An Orleans cluster of in-process silos on PostgreSQL: ADO.NET clustering, grain storage and reminders,
/// and the Npgsql history, configured exactly as the hosts do (<see cref="RoutingSiloExtensions.AddRoutingStorage"/>).
/// Each start is a new deployment (new cluster id) of the same service, so stopping and starting again is a whole-cluster
/// restart that finds everything the last one saved. Failure detection is tuned to seconds so kills are noticed quickly.</summary>
public sealed class PostgresCluster : IAsyncDisposable, IRoutingCluster
{
    private PostgresCluster(InProcessTestCluster cluster)
    {
        Cluster = cluster;
    }

    public InProcessTestCluster Cluster { get; }

    public IClusterClient Client => Cluster.Client;

    IGrainFactory IRoutingCluster.Grains => Client;

    public IEnumerable<RoutingReadModel> ReadModels =>
        Cluster.Silos.Where(s => s.IsActive).Select(s => s.ServiceProvider.GetRequiredService<RoutingReadModel>());

    /// <summary>Unverified reservations are checked this soon in tests (production: minutes).</summary>
    public static readonly TimeSpan UnverifiedAfter = TimeSpan.FromSeconds(2);

    public static async Task<PostgresCluster> StartAsync(string connectionString, string serviceId, short silos = 3)
    {
        var clusterId = $"c-{Guid.NewGuid():N}"[..14];
        var settings = new RoutingSettings(RoutingSettings.Postgres, connectionString, 0, 0, clusterId, serviceId, "Silo", null, MigrateOnStart: true);
        var builder = new InProcessTestClusterBuilder(silos);
        builder.Options.ClusterId = clusterId;
        builder.Options.ServiceId = serviceId;
        // The ADO.NET membership table is under test, not the test host's in-memory one. The switch is not public on
        // InProcessTestClusterOptions in this version, hence reflection.
        typeof(InProcessTestClusterOptions).GetProperty("UseTestClusterMembership", BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic)!
            .SetValue(builder.Options, false);
        builder.ConfigureSilo((_, silo) =>
        {
            silo.UseAdoNetClustering(o =>
            {
                o.Invariant = RoutingSiloExtensions.Invariant;
                o.ConnectionString = connectionString;
            });
            silo.AddRoutingStorage(settings);
            silo.Services.AddRoutingGrainServices();
            silo.Services.Configure<ReservationExpiryOptions>(o =>
            {
                o.UnverifiedAfter = UnverifiedAfter;
                o.CheckEvery = TimeSpan.FromSeconds(1);
            });
            silo.Services.Configure<ClusterMembershipOptions>(o =>
            {
                o.ProbeTimeout = TimeSpan.FromSeconds(1);
                o.NumMissedProbesLimit = 2;
                o.NumVotesForDeathDeclaration = 1;
                o.TableRefreshTimeout = TimeSpan.FromSeconds(1);
                o.IAmAliveTablePublishTimeout = TimeSpan.FromSeconds(2);
            });
            silo.Services.Configure<SiloMessagingOptions>(o => o.ResponseTimeout = TimeSpan.FromSeconds(15));
            silo.Services.AddSingleton<PlacementStrategy, RandomPlacement>();
        });
        builder.ConfigureClient(client =>
        {
            client.UseAdoNetClustering(o =>
            {
                o.Invariant = RoutingSiloExtensions.Invariant;
                o.ConnectionString = connectionString;
            });
            client.Configure<GatewayOptions>(o => o.GatewayListRefreshPeriod = TimeSpan.FromSeconds(1));
            client.Configure<ClientMessagingOptions>(o => o.ResponseTimeout = TimeSpan.FromSeconds(15));
        });
        var cluster = builder.Build();
        await cluster.DeployAsync();
        return new PostgresCluster(cluster);
    }

    /// <summary>Every silo's event stream, for tests that watch what silos announce.</summary>
    public IEnumerable<LocalEventStream> EventStreams =>
        Cluster.Silos.Where(s => s.IsActive).Select(s => s.ServiceProvider.GetRequiredService<LocalEventStream>());

    /// <summary>Stops every silo gracefully (what a deployment does), then the client.</summary>
    public async ValueTask DisposeAsync() => await Cluster.DisposeAsync();
}
