using Routing.Grains.Infrastructure;

namespace Routing.Tests.Worlds;

/// <summary>A running cluster a world is built in: the grains, reached through its client, and what each live silo
/// routes with.</summary>
public interface IRoutingCluster
{
    IGrainFactory Grains { get; }

    /// <summary>The read model of every live silo (silo-local, briefly cached).</summary>
    IEnumerable<RoutingReadModel> ReadModels { get; }
}
