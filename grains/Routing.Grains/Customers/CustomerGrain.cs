using Routing.Contracts;
using Routing.Contracts.Customers;
using Routing.Grains.Infrastructure;

namespace Routing.Grains.Customers;

/// <summary>Persistent state of one customer.</summary>
[GenerateSerializer]
public sealed class CustomerState
{
    [Id(0)] public CustomerProfile? Profile { get; set; }
    /// <summary>Units counted against each campaign's limit, per order (campaign → order → units).</summary>
    [Id(1)] public Dictionary<string, Dictionary<string, int>> CampaignUnits { get; set; } = new(StringComparer.Ordinal);
    [Id(2)] public List<string> OrderIds { get; set; } = [];
}

/// <summary>A customer. Enforces per-campaign purchase limits: one customer's orders are serialized here,
/// which costs nothing in a flash sale because the load spreads over thousands of customers.</summary>
public sealed class CustomerGrain(
    [PersistentState("customer", StorageNames.Routing)] IPersistentState<CustomerState> state) : Grain, ICustomerGrain
{
    private CustomerState S => state.State;

    public async Task<UpsertResult> UpsertAsync(CustomerProfile profile)
    {
        var old = S.Profile;
        if (old == profile) return UpsertResult.Unchanged;
        S.Profile = profile;
        await state.SaveAsync(this);
        return old is null ? UpsertResult.Created : UpsertResult.Updated;
    }

    public Task<CustomerProfile?> GetAsync() => Task.FromResult(S.Profile);

    public async Task<LimitCheck> ReserveCampaignUnitsAsync(string campaignId, string orderId, int quantity, int limit)
    {
        if (!S.CampaignUnits.TryGetValue(campaignId, out var perOrder))
            S.CampaignUnits[campaignId] = perOrder = new(StringComparer.Ordinal);
        var bought = perOrder.Values.Sum();
        if (perOrder.ContainsKey(orderId)) return new LimitCheck(true, bought);
        if (bought + quantity > limit) return new LimitCheck(false, bought);

        perOrder[orderId] = quantity;
        if (!S.OrderIds.Contains(orderId)) S.OrderIds.Add(orderId);
        await state.SaveAsync(this);
        return new LimitCheck(true, bought + quantity);
    }

    public async Task ReleaseCampaignUnitsAsync(string campaignId, string orderId)
    {
        if (S.CampaignUnits.GetValueOrDefault(campaignId)?.Remove(orderId) != true) return;
        await state.SaveAsync(this);
    }

    public async Task AddOrderAsync(string orderId)
    {
        if (S.OrderIds.Contains(orderId)) return;
        S.OrderIds.Add(orderId);
        await state.SaveAsync(this);
    }

    public Task<IReadOnlyList<string>> GetOrderIdsAsync() => Task.FromResult<IReadOnlyList<string>>(S.OrderIds.ToList());
}
