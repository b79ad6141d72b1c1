using Routing.Contracts;
using Routing.Contracts.Customers;
using Routing.Contracts.Orders;
using Routing.Domain.Rules;
using Routing.Grains.History;
using Routing.Grains.Infrastructure;
using Routing.Grains.Orders;

namespace Routing.Grains.Customers;

/// <summary>Persistent state of one customer: its profile. What it has bought lives in the order journal.</summary>
[GenerateSerializer]
public sealed class CustomerState
{
    [Id(0)] public CustomerProfile? Profile { get; set; }
}

/// <summary>A customer, and where its orders are placed (<see cref="OrderPlacement"/>). One request at a time (not
/// reentrant): retries of an order, which share its id, queue here, and per-campaign limits are decided here from a
/// live count. Nothing about its orders is stored with the customer: on activation it reads its orders from the order
/// journal (their ids, so a new order needs no read to know it is new, and the units counted against each limit), and a
/// placement's one durable write is the order's own journal record. A flash sale's load spreads over thousands of
/// customers, and a customer's grain stays active through it, so placing costs no activation.</summary>
public sealed class CustomerGrain(
    [PersistentState("customer", StorageNames.Routing)] IPersistentState<CustomerState> state,
    IOrderJournal journal,
    OrderStore orders,
    OrderPlacement placement) : Grain, ICustomerGrain, ICustomerLimits
{
    /// <summary>Units counted against each campaign's limit (campaign → its count).</summary>
    private readonly Dictionary<string, CustomerLimit> _limits = new(StringComparer.Ordinal);
    /// <summary>Every order of this customer in the journal.</summary>
    private readonly HashSet<string> _orders = new(StringComparer.Ordinal);

    private string Id => this.GetPrimaryKeyString();
    private CustomerState S => state.State;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        foreach (var order in await journal.CustomerOrdersAsync(Id))
        {
            _orders.Add(order.OrderId);
            if (order.HoldsUnits) LimitOf(order.CampaignId!).TryCount(order.OrderId, order.Units, int.MaxValue);
        }
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

    public async Task<PlaceResult> PlaceAsync(PlaceOrder command)
    {
        if (command.CustomerId != Id)
            throw new ArgumentException($"customer {Id} places its own orders, not {command.CustomerId}'s", nameof(command));
        var orderId = OrderIds.For(Id, command.IdempotencyKey);
        if (_orders.Contains(orderId) && (await orders.ReadAsync(orderId)).State is { } stored)
            return OrderPlacement.Answer(stored, command);
        if (S.Profile is not { } profile) return new(PlaceOutcome.CustomerNotFound, null, $"customer '{Id}' is not registered");

        var result = await placement.PlaceAsync(orderId, command, profile, this);
        if (result.Order is not null) _orders.Add(orderId);
        return result;
    }

    public async Task<OrderView?> FindOrderAsync(string orderId) => (await orders.ReadAsync(orderId)).State?.Order;

    public Task ReleaseCampaignUnitsAsync(string campaignId, string orderId)
    {
        Release(campaignId, orderId);
        return Task.CompletedTask;
    }

    public LimitCheck TryCount(string campaignId, string orderId, int quantity, int limit)
    {
        var (allowed, bought) = LimitOf(campaignId).TryCount(orderId, quantity, limit);
        return new LimitCheck(allowed, bought);
    }

    public void Release(string campaignId, string orderId) => LimitOf(campaignId).Release(orderId);

    public bool HasOrders => _orders.Count > 0;

    private CustomerLimit LimitOf(string campaignId) =>
        _limits.TryGetValue(campaignId, out var limit) ? limit : _limits[campaignId] = new CustomerLimit();
}
