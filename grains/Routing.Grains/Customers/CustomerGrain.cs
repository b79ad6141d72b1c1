using Routing.Contracts;
using Routing.Contracts.Customers;
using Routing.Grains.History;
using Routing.Grains.Infrastructure;

namespace Routing.Grains.Customers;

/// <summary>Persistent state of one customer: its profile. What it has bought lives in the order journal.</summary>
[GenerateSerializer]
public sealed class CustomerState
{
    [Id(0)] public CustomerProfile? Profile { get; set; }
}

/// <summary>A customer. Enforces per-campaign purchase limits: one customer's orders are serialized here, which costs
/// nothing in a flash sale because the load spreads over thousands of customers. The units counted against each limit
/// are live state, not stored: the order journal holds every order, so on activation they are rebuilt from it, and
/// counting an order costs no write (the order's own journal record is its durable trace).</summary>
public sealed class CustomerGrain(
    [PersistentState("customer", StorageNames.Routing)] IPersistentState<CustomerState> state,
    IOrderJournal journal) : Grain, ICustomerGrain
{
    /// <summary>Units counted against each campaign's limit, per order (campaign → order → units).</summary>
    private readonly Dictionary<string, Dictionary<string, int>> _units = new(StringComparer.Ordinal);

    private CustomerState S => state.State;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        foreach (var order in await journal.CustomerOrdersAsync(this.GetPrimaryKeyString()))
            if (order.HoldsUnits) UnitsOf(order.CampaignId!)[order.OrderId] = order.Units;
    }

    public async Task<UpsertResult> UpsertAsync(CustomerProfile profile)
    {
        var old = S.Profile;
        if (old == profile) return UpsertResult.Unchanged;
        S.Profile = profile;
        await state.SaveAsync(this);
        return old is null ? UpsertResult.Created : UpsertResult.Updated;
    }

    public Task<CustomerProfile?> GetAsync() => Task.FromResult(S.Profile);

    public Task<LimitCheck> ReserveCampaignUnitsAsync(string campaignId, string orderId, int quantity, int limit)
    {
        var perOrder = UnitsOf(campaignId);
        var bought = perOrder.Values.Sum();
        if (perOrder.ContainsKey(orderId)) return Task.FromResult(new LimitCheck(true, bought));
        if (bought + quantity > limit) return Task.FromResult(new LimitCheck(false, bought));
        perOrder[orderId] = quantity;
        return Task.FromResult(new LimitCheck(true, bought + quantity));
    }

    public Task ReleaseCampaignUnitsAsync(string campaignId, string orderId)
    {
        UnitsOf(campaignId).Remove(orderId);
        return Task.CompletedTask;
    }

    private Dictionary<string, int> UnitsOf(string campaignId) =>
        _units.TryGetValue(campaignId, out var perOrder) ? perOrder : _units[campaignId] = new(StringComparer.Ordinal);
}
