using Routing.Contracts;
using Routing.Contracts.Policies;
using Routing.Domain;
using Routing.Grains.Infrastructure;

namespace Routing.Grains.Policies;

/// <summary>Persistent state of the routing policies.</summary>
[GenerateSerializer]
public sealed class PoliciesState
{
    [Id(0)] public Dictionary<string, RoutingPolicy> Policies { get; set; } = new(StringComparer.Ordinal);
}

/// <summary>Routing policies, editable at run time. Orders read them through <see cref="RoutingReadModel"/>, not per order.</summary>
public sealed class RoutingPoliciesGrain(
    [PersistentState("policies", StorageNames.Routing)] IPersistentState<PoliciesState> state) : Grain, IRoutingPoliciesGrain
{
    public Task<RoutingPolicy?> GetAsync(string id) =>
        Task.FromResult(state.State.Policies.GetValueOrDefault(id) ?? (id == RoutingPolicy.DefaultId ? RoutingPolicy.Default : null));

    public Task<IReadOnlyList<RoutingPolicy>> ListAsync()
    {
        var all = new Dictionary<string, RoutingPolicy>(state.State.Policies);
        all.TryAdd(RoutingPolicy.DefaultId, RoutingPolicy.Default);
        return Task.FromResult<IReadOnlyList<RoutingPolicy>>(all.Values.OrderBy(p => p.Id, StringComparer.Ordinal).ToList());
    }

    public async Task<UpsertResult> SetAsync(RoutingPolicy policy)
    {
        var existed = state.State.Policies.TryGetValue(policy.Id, out var old);
        if (existed && old == policy) return UpsertResult.Unchanged;
        state.State.Policies[policy.Id] = policy;
        await state.WriteStateAsync();
        return existed ? UpsertResult.Updated : UpsertResult.Created;
    }
}
