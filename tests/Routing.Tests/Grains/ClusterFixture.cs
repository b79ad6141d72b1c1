using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Orleans.TestingHost;
using Routing.Grains.History;
using Routing.Grains.Infrastructure;
using Routing.Silo;

namespace Routing.Tests.Grains;

/// <summary>A real Orleans cluster of two silos in this process, with in-memory storage and the grain services
/// the hosts register, shared by every grain test. Tests keep out of each other's way through
/// <see cref="GrainWorld"/>'s unique ids, not through separate clusters: starting one costs seconds.</summary>
public sealed class ClusterFixture : IAsyncLifetime, IRoutingCluster
{
    public const int SiloCount = 2;

    private InProcessTestCluster? _cluster;

    public InProcessTestCluster Cluster => _cluster ?? throw new InvalidOperationException("The cluster is not deployed yet.");

    /// <summary>The cluster client: its calls reach grains through both silos' gateways.</summary>
    public IClusterClient Client => Cluster.Client;

    IGrainFactory IRoutingCluster.Grains => Client;

    /// <summary>The history and order journal of every silo (in memory, shared, as one database would be).</summary>
    public InMemoryRoutingHistory History { get; } = new(Postgres.GrainStorageTests.Serializer);

    /// <summary>What the order grains of each silo route with (silo-local, briefly cached).</summary>
    public IEnumerable<RoutingReadModel> ReadModels =>
        Cluster.Silos.Select(silo => silo.ServiceProvider.GetRequiredService<RoutingReadModel>());

    public async Task InitializeAsync()
    {
        var builder = new InProcessTestClusterBuilder(SiloCount);
        builder.ConfigureSilo((_, silo) =>
        {
            // Storage as the embedded host configures it (memory, Orleans' serializer), with one history and one order
            // journal for all silos: in one process, as the embedded host's single silo has.
            silo.Services.AddSingleton(History);
            silo.Services.AddSingleton<IRoutingHistory>(History);
            silo.Services.AddSingleton<IOrderJournal>(History);
            silo.AddRoutingStorage(RoutingSettings.From(new ConfigurationBuilder().Build()));
            silo.ConfigureServices(services =>
            {
                services.AddRoutingGrainServices();
                // The default (resource-optimized) placement sends a burst of new activations to whichever silo
                // looked least loaded at its last sample, and these silos share one machine: a whole test's orders
                // could land on one silo. Random placement spreads them, so cross-silo races really happen.
                services.AddSingleton<PlacementStrategy, RandomPlacement>();
            });
        });
        _cluster = builder.Build();
        await _cluster.DeployAsync();
    }

    public async Task DisposeAsync()
    {
        if (_cluster is not null) await _cluster.DisposeAsync();
    }
}

/// <summary>Every grain test class joins this collection, so they share one cluster (and run one after another).</summary>
[CollectionDefinition(Name)]
public sealed class ClusterCollection : ICollectionFixture<ClusterFixture>
{
    public const string Name = "Two-silo Orleans cluster";
}
