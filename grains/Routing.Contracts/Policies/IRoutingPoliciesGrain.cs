using Routing.Domain;

namespace Routing.Contracts.Policies;

/// <summary>The routing policies (key 0). Always holds <see cref="RoutingPolicy.DefaultId"/>.</summary>
public interface IRoutingPoliciesGrain : IGrainWithIntegerKey
{
    [ReadOnly] Task<RoutingPolicy?> GetAsync(string id);

    [ReadOnly] Task<IReadOnlyList<RoutingPolicy>> ListAsync();

    Task<UpsertResult> SetAsync(RoutingPolicy policy);
}
