using Microsoft.Extensions.Logging;
using Routing.Contracts.Alerts;
using Routing.Contracts.Campaigns;
using Routing.Contracts.Catalog;
using Routing.Contracts.Customers;
using Routing.Contracts.Distributors;
using Routing.Contracts.Events;
using Routing.Contracts.Orders;
using Routing.Domain;
using Routing.Grains.Campaigns;
using Routing.Grains.Events;
using Routing.Grains.History;
using Routing.Grains.Infrastructure;

namespace Routing.Grains.Orders;

/// <summary>Persistent state of one order.</summary>
[GenerateSerializer]
public sealed class OrderState
{
    [Id(0)] public OrderView? Order { get; set; }
    /// <summary>The placing request's fingerprint: the same idempotency key with another body is refused.</summary>
    [Id(1)] public string? Fingerprint { get; set; }
    /// <summary>Counts the order's saved changes (its journal record carries it).</summary>
    [Id(2)] public int Revision { get; set; }
}

/// <summary>One order. Places itself: takes campaign quota and the customer's limit, routes with the pure
/// <see cref="Router"/>, reserves at the chosen distributors all-or-nothing (re-routing when a reservation
/// fails), and only answers once its state is durable. Not reentrant: retries of the same request queue here.
/// The grain's state is its record in the order journal (<see cref="IOrderJournal"/>), which is also its history row:
/// writing it is the one durability point of the order, and it answers only once that write is durable. Fulfilment
/// moves per distributor share (<see cref="OrderShare"/>), the order's status following its least advanced share.</summary>
public sealed class OrderGrain(
    [PersistentState("order", StorageNames.Orders)] IPersistentState<OrderState> state,
    RoutingReadModel readModel,
    QuotaPools quotaPools,
    IRoutingEventPublisher events,
    TimeProvider clock,
    ILogger<OrderGrain> logger) : Grain, IOrderGrain
{
    private string Id => this.GetPrimaryKeyString();
    private OrderView? Order => state.State.Order;

    public Task<OrderView?> GetAsync() => Task.FromResult(Order);

    public async Task<PlaceResult> PlaceAsync(PlaceOrder command)
    {
        var fingerprint = command.Fingerprint();
        if (Order is { } existing)
        {
            if (state.State.Fingerprint != fingerprint)
                return new(PlaceOutcome.IdempotencyConflict, null, "this Idempotency-Key was already used for a different request");
            return new(PlaceOutcome.Replayed, existing, null);
        }

        var customerGrain = GrainFactory.GetGrain<ICustomerGrain>(command.CustomerId);
        var customer = await customerGrain.GetAsync();
        if (customer is null) return new(PlaceOutcome.CustomerNotFound, null, $"customer '{command.CustomerId}' is not registered");

        var startedAt = readModel.Now();
        var held = new Holdings(command.CampaignId, command.CustomerId);
        try
        {
            return await PlaceHoldingAsync(command, customer, fingerprint, startedAt, held);
        }
        catch when (!held.Durable)
        {
            // Not durable, so not acknowledged: give back all it may hold, so that a retry starts clean.
            state.State.Order = null;
            await GiveBackAsync(held);
            throw;
        }
    }

    private async Task<PlaceResult> PlaceHoldingAsync(PlaceOrder command, CustomerProfile customer, string fingerprint, long startedAt, Holdings held)
    {
        var products = await readModel.GetProductsAsync();
        var lines = command.Lines;
        var policyId = RoutingPolicy.DefaultId;
        IReadOnlySet<string>? participants = null;
        decimal? unitPrice = null;
        var quantity = lines.Sum(l => l.Quantity);
        CampaignDefinition? campaign = null;
        Task<LimitCheck>? limit = null;

        if (command.CampaignId is { } campaignId)
        {
            var ticket = quotaPools.TryTake(campaignId, quantity, customer.Region)
                ?? await GrainFactory.GetGrain<ICampaignQuotaGrain>(campaignId).TakeAsync(quantity, customer.Region);
            if (ticket.Outcome != QuotaOutcome.Taken) return Refused(ticket, campaignId);
            held.CampaignUnits = quantity;
            campaign = ticket.Definition!;
            // The customer's limit is taken (live state at the customer grain; the order's journal record is its durable
            // trace) while the order routes and reserves. Giving it back is idempotent, so it counts as held from here.
            limit = GrainFactory.GetGrain<ICustomerGrain>(customer.Id).ReserveCampaignUnitsAsync(campaignId, Id, quantity, campaign.PerCustomerLimit);
            held.CustomerLimit = true;
            lines = [new OrderLine(campaign.Sku, quantity)];
            policyId = campaign.PolicyId;
            participants = campaign.Distributors.Count > 0 ? campaign.Distributors.ToHashSet(StringComparer.Ordinal) : null;
            unitPrice = ticket.UnitPrice;
        }
        else if (lines.Any(l => !products.ContainsKey(l.Sku)))
        {
            // Maybe created a moment ago: look again at products loaded after this order started.
            products = await readModel.GetProductsAsync(loadedAfter: startedAt);
            if (lines.FirstOrDefault(l => !products.ContainsKey(l.Sku)) is { } unknown)
                return new(PlaceOutcome.ProductNotFound, null, $"product '{unknown.Sku}' does not exist");
        }

        var routing = RouteAsync(customer, lines, policyId, participants, products, startedAt, held);
        if (limit is not null)
        {
            await Task.WhenAll(limit, routing);
            if (!limit.Result.Allowed)
            {
                await GiveBackAsync(held);
                return new(PlaceOutcome.LimitExceeded, null,
                    $"the limit is {campaign!.PerCustomerLimit} units per customer; already bought {limit.Result.AlreadyBought}, ordered {quantity}");
            }
        }
        var plan = await routing;
        var status = StatusOf(plan.Outcome);
        var now = clock.GetUtcNow();
        var order = new OrderView(Id, command.CustomerId, command.CampaignId, status, lines, plan.Allocations, unitPrice,
            plan.Reason, plan.Substitutions, plan.Suggestions, plan.Explanation, now, now)
        {
            Shares = OrderShare.Of(plan.Allocations, OrderStatus.Allocated, now),
        };

        // A rejected order gives back what it took; the others keep their place in the campaign until cancelled.
        if (status == OrderStatus.Rejected) await GiveBackAsync(held);

        state.State.Order = order;
        state.State.Fingerprint = fingerprint;
        state.State.Revision++;
        // The durability point: the order's journal record (its state and its history row in one write).
        await state.SaveAsync(this);
        // From here on the order exists: a failure below must not give back what it holds.
        held.Durable = true;
        RoutingMetrics.OrdersPlaced.Add(1);
        (status == OrderStatus.Allocated ? RoutingMetrics.OrdersAllocated : RoutingMetrics.OrdersRejected).Add(1);
        RoutingMetrics.AllocationLatency.Record(readModel.ElapsedMs(startedAt));

        await AnnounceAsync(order, customer);
        // An order is placed once and read rarely afterwards: in a flash sale, keeping every placed order in memory until
        // it idles out filled the heap (and the pauses of collecting it) faster than anything else. It reloads on demand.
        DeactivateOnIdle();
        return new(PlaceOutcome.Created, order, null);
    }

    public async Task<TransitionResult> RerouteAsync(string? substituteSku)
    {
        if (Order is not { } order) return NotFound();
        if (order.Status is not (OrderStatus.AwaitingSubstitution or OrderStatus.Backordered or OrderStatus.Exception))
            return NotAllowed($"only an order awaiting substitution, backordered or in review can be routed again; this one is {order.Status}");

        var lines = order.Lines;
        var accepted = substituteSku is null ? null : order.Suggestions.FirstOrDefault(s => s.SubstituteSku == substituteSku);
        if (substituteSku is not null && accepted is null)
            return NotAllowed($"'{substituteSku}' is not one of this order's suggested substitutes");
        if (accepted is not null)
            lines = [.. lines.Select(l => l.Sku == accepted.OriginalSku ? l with { Sku = accepted.SubstituteSku } : l)];

        var customer = await GrainFactory.GetGrain<ICustomerGrain>(order.CustomerId).GetAsync()
            ?? throw new InvalidOperationException($"order {Id}: customer {order.CustomerId} is gone");
        var policyId = order.Explanation?.PolicyId ?? RoutingPolicy.DefaultId;
        IReadOnlySet<string>? participants = null;
        if (order.CampaignId is { } campaignId
            && (await GrainFactory.GetGrain<ICampaignGrain>(campaignId).GetAsync())?.Definition is { Distributors.Count: > 0 } campaign)
            participants = campaign.Distributors.ToHashSet(StringComparer.Ordinal);

        // The order keeps the campaign units and the customer's limit it holds: only reservations are at stake here.
        var startedAt = readModel.Now();
        var held = new Holdings(null, order.CustomerId);
        AllocationPlan plan;
        try
        {
            plan = await RouteAsync(customer, lines, policyId, participants, await readModel.GetProductsAsync(), startedAt, held);
        }
        catch
        {
            await GiveBackAsync(held);
            throw;
        }
        if (plan.Outcome != RoutingOutcome.Allocated)
            return NotAllowed($"still cannot be allocated: {plan.Reason}");

        IReadOnlyList<Substitution> substitutions = accepted is null ? plan.Substitutions
            : [.. plan.Substitutions, .. order.Lines.Where(l => l.Sku == accepted.OriginalSku)
                .Select(l => new Substitution(l.Sku, accepted.SubstituteSku, l.Quantity))];
        var now = clock.GetUtcNow();
        var allocated = order with
        {
            Status = OrderStatus.Allocated, Allocations = plan.Allocations, Shares = OrderShare.Of(plan.Allocations, OrderStatus.Allocated, now),
            Reason = null, Substitutions = substitutions, Suggestions = [], Explanation = plan.Explanation, UpdatedAt = now,
        };
        state.State.Order = allocated;
        state.State.Revision++;
        try
        {
            await state.SaveAsync(this);
        }
        catch
        {
            state.State.Order = order;
            state.State.Revision--;
            await GiveBackAsync(held);
            throw;
        }
        await AnnounceAsync(allocated, customer);
        return await DoneAsync(allocated);
    }

    public async Task<TransitionResult> CancelAsync(string reason)
    {
        if (Order is not { } order) return NotFound();
        if (order.Status == OrderStatus.Cancelled) return await DoneAsync(order);
        if (order.Status is OrderStatus.Shipped or OrderStatus.Completed or OrderStatus.Rejected)
            return NotAllowed($"a {order.Status} order cannot be cancelled");
        // Shipped units are off a distributor's stock and on their way: giving back the order's campaign units and
        // limit would count them unsold. What is left of a partly shipped order is fulfilled (or handled by a person).
        if (order.Shares.FirstOrDefault(s => s.Status is OrderStatus.Shipped or OrderStatus.Completed) is { } shipped)
            return NotAllowed($"{shipped.DistributorId} has shipped its share; a partly shipped order cannot be cancelled");

        var cancelled = order with { Status = OrderStatus.Cancelled, Reason = reason, UpdatedAt = clock.GetUtcNow() };
        state.State.Order = cancelled;
        state.State.Revision++;
        // Durable first: a retried cancel then finds it cancelled and never gives campaign units back twice.
        await state.SaveAsync(this);
        await ReleaseReservationsAsync(order.Allocations);
        await ReturnCampaignUnitsAsync(order);
        return await DoneAsync(cancelled);
    }

    public Task<TransitionResult> ConfirmAsync(string? distributorId = null) =>
        FulfilAsync(distributorId, OrderStatus.Allocated, OrderStatus.Confirmed, atDistributor: null);

    public Task<TransitionResult> ShipAsync(string? distributorId = null) =>
        FulfilAsync(distributorId, OrderStatus.Confirmed, OrderStatus.Shipped,
            atDistributor: d => GrainFactory.GetGrain<IDistributorGrain>(d).ShipAsync(Id));

    public Task<TransitionResult> CompleteAsync(string? distributorId = null) =>
        FulfilAsync(distributorId, OrderStatus.Shipped, OrderStatus.Completed, atDistributor: null);

    /// <summary>Routes <paramref name="lines"/> for <paramref name="customer"/> under the named policy and reserves the plan.</summary>
    private async Task<AllocationPlan> RouteAsync(CustomerProfile customer, IReadOnlyList<OrderLine> lines, string policyId,
        IReadOnlySet<string>? participants, IReadOnlyDictionary<string, Product> products, long startedAt, Holdings held)
    {
        var substitutes = lines.Select(l => l.Sku).Distinct()
            .Where(products.ContainsKey)
            .ToDictionary(sku => sku, sku => products[sku].Substitutes, StringComparer.Ordinal);
        var request = new RouteRequest(Id, customer.Region, customer.Location, customer.HomeDistributorId, lines, participants, substitutes);
        var policy = await readModel.GetPolicyAsync(policyId) ?? await readModel.GetPolicyAsync(policyId, loadedAfter: startedAt);
        if (policy is null)
        {
            logger.LogWarning("Order {OrderId}: routing policy {PolicyId} does not exist; routing with the default", Id, policyId);
            policy = await readModel.GetPolicyAsync(RoutingPolicy.DefaultId) ?? RoutingPolicy.Default;
        }
        return await AllocateAsync(request, policy, startedAt, held);
    }

    private static OrderStatus StatusOf(RoutingOutcome outcome) => outcome switch
    {
        RoutingOutcome.Allocated => OrderStatus.Allocated,
        RoutingOutcome.AwaitingSubstitution => OrderStatus.AwaitingSubstitution,
        RoutingOutcome.Backorder => OrderStatus.Backordered,
        RoutingOutcome.ManualReview => OrderStatus.Exception,
        _ => OrderStatus.Rejected,
    };

    /// <summary>Routes and reserves until every reservation holds, or routing gives up. A failed reservation
    /// corrects that distributor's snapshot with the authority's answer, so each retry knows more and it converges.</summary>
    private async Task<AllocationPlan> AllocateAsync(RouteRequest request, RoutingPolicy policy, long startedAt, Holdings held)
    {
        var snapshots = (await readModel.GetSnapshotsAsync()).ToList();
        var retries = new List<string>();
        var fresh = false;
        AllocationPlan? plan = null;
        for (var attempt = 0; attempt <= snapshots.Count + 1; attempt++)
        {
            plan = Router.Route(request, snapshots, policy);
            if (plan.Outcome != RoutingOutcome.Allocated)
            {
                // Before giving up, look once more at snapshots loaded after this order started: cached ones may
                // predate a distributor or a restock.
                if (fresh || retries.Count > 0) return WithRetries(plan, retries);
                fresh = true;
                snapshots = (await readModel.GetSnapshotsAsync(loadedAfter: startedAt)).ToList();
                continue;
            }

            var perDistributor = plan.Allocations.GroupBy(a => a.DistributorId, StringComparer.Ordinal).ToList();
            held.Distributors.UnionWith(perDistributor.Select(g => g.Key));
            var results = await Task.WhenAll(perDistributor.Select(g =>
                GrainFactory.GetGrain<IDistributorGrain>(g.Key).ReserveAsync(Id, g.Select(a => new OrderLine(a.Sku, a.Quantity)).ToList())));
            if (results.All(r => r.Success)) return WithRetries(plan, retries);

            // All or nothing: give back what this attempt did reserve, then route again knowing more.
            await ReleaseReservationsAsync(results.Where(r => r.Success).Select(r => r.Snapshot.Id));
            foreach (var failed in results.Where(r => !r.Success))
            {
                retries.Add($"reservation failed ({failed.Reason}); re-routed");
                var index = snapshots.FindIndex(s => s.Id == failed.Snapshot.Id);
                if (index >= 0) snapshots[index] = failed.Snapshot;
            }
        }
        logger.LogWarning("Order {OrderId}: reservations kept failing; rejecting", Id);
        return WithRetries(plan! with { Outcome = RoutingOutcome.Rejected, Allocations = [], Reason = "stock kept changing under this order; please retry" }, retries);
    }

    private static AllocationPlan WithRetries(AllocationPlan plan, List<string> retries) =>
        retries.Count == 0 ? plan
        : plan with { Explanation = plan.Explanation with { Decisions = [.. retries, .. plan.Explanation.Decisions] } };

    private Task ReleaseReservationsAsync(IEnumerable<Allocation> allocations) =>
        ReleaseReservationsAsync(allocations.Select(a => a.DistributorId));

    private Task ReleaseReservationsAsync(IEnumerable<string> distributorIds) =>
        Task.WhenAll(distributorIds.Distinct().Select(d => GrainFactory.GetGrain<IDistributorGrain>(d).ReleaseAsync(Id)));

    /// <summary>What a placement in progress holds, so a failure can give it all back.</summary>
    private sealed class Holdings(string? campaignId, string customerId)
    {
        public string? CampaignId { get; } = campaignId;
        public string CustomerId { get; } = customerId;
        public int CampaignUnits { get; set; }
        public bool CustomerLimit { get; set; }
        /// <summary>Distributors asked to reserve: releasing is idempotent, so all are released, reserved or not.</summary>
        public HashSet<string> Distributors { get; } = new(StringComparer.Ordinal);
        /// <summary>The order's state is saved: it keeps what it holds, whatever fails afterwards.</summary>
        public bool Durable { get; set; }
    }

    private async Task GiveBackAsync(Holdings held)
    {
        try
        {
            await ReleaseReservationsAsync(held.Distributors);
            held.Distributors.Clear();
            if (held.CampaignId is { } campaignId && held.CampaignUnits > 0)
            {
                await ReturnCampaignUnitsAsync(campaignId, held.CampaignUnits);
                held.CampaignUnits = 0;
            }
            if (held.CampaignId is { } limitCampaign && held.CustomerLimit)
            {
                await GrainFactory.GetGrain<ICustomerGrain>(held.CustomerId).ReleaseCampaignUnitsAsync(limitCampaign, Id);
                held.CustomerLimit = false;
            }
        }
        catch (Exception e)
        {
            // Never worse than an undersell: what could not be given back stays held, nothing is sold twice.
            logger.LogError(e, "Order {OrderId}: could not give back everything it held", Id);
        }
    }

    private async Task ReturnCampaignUnitsAsync(OrderView order)
    {
        if (order.CampaignId is not { } campaignId) return;
        await ReturnCampaignUnitsAsync(campaignId, order.Lines.Sum(l => l.Quantity));
        await GrainFactory.GetGrain<ICustomerGrain>(order.CustomerId).ReleaseCampaignUnitsAsync(campaignId, Id);
    }

    /// <summary>Gives units back to this silo's pool of the campaign, or to its holder grain when none is open here.</summary>
    private Task ReturnCampaignUnitsAsync(string campaignId, int quantity) =>
        quotaPools.TryReturn(campaignId, quantity) ? Task.CompletedTask
            : GrainFactory.GetGrain<ICampaignQuotaGrain>(campaignId).ReturnAsync(quantity);

    private async Task AnnounceAsync(OrderView order, CustomerProfile customer)
    {
        if (order.Status == OrderStatus.Allocated)
        {
            events.Publish(new OrderAllocated(order.UpdatedAt, Id, order.CampaignId, order.Allocations));
            return;
        }
        var reason = order.Reason ?? order.Status.ToString();
        events.Publish(new OrderRejected(order.UpdatedAt, Id, order.CampaignId, order.Status, reason));

        var alerts = GrainFactory.GetGrain<IAlertLogGrain>(0);
        var sku = order.Lines[0].Sku;
        if (order.Status == OrderStatus.AwaitingSubstitution)
        {
            var offered = string.Join(", ", order.Suggestions.Select(s => $"{s.SubstituteSku} ({s.AvailableNearby} nearby)"));
            await alerts.RaiseAsync(new AlertDraft(AlertKind.SubstitutionSuggested, $"substitution:{Id}",
                $"order {Id}: {reason}; suggested substitutes: {offered}",
                DistributorId: customer.HomeDistributorId, Sku: sku, OrderId: Id, CampaignId: order.CampaignId));
        }
        else
        {
            // One open alert per campaign (or SKU) counts the failures, rather than one alert per order.
            await alerts.RaiseAsync(new AlertDraft(AlertKind.AllocationFailed, $"allocation-failed:{order.CampaignId ?? sku}",
                $"order {Id} ({order.Status}): {reason}", Sku: sku, OrderId: Id, CampaignId: order.CampaignId));
        }
    }

    /// <summary>Moves one distributor's share (or, with null, every share) from <paramref name="from"/> to
    /// <paramref name="to"/>, after doing its part at each moving distributor; all named shares move or none.</summary>
    private async Task<TransitionResult> FulfilAsync(string? distributorId, OrderStatus from, OrderStatus to, Func<string, Task>? atDistributor)
    {
        if (Order is not { } order) return NotFound();
        if (order.Status is not (OrderStatus.Allocated or OrderStatus.Confirmed or OrderStatus.Shipped or OrderStatus.Completed))
            return NotAllowed($"only an allocated order can become {to}; this one is {order.Status}");
        var shares = order.Shares;
        var named = distributorId is null ? shares : [.. shares.Where(s => s.DistributorId == distributorId)];
        if (named.Count == 0) return NotAllowed($"distributor '{distributorId}' has no share of this order");
        if (named.FirstOrDefault(s => s.Status != from && s.Status != to) is { } notReady)
            return NotAllowed($"only a {from} share can become {to}; {notReady.DistributorId}'s is {notReady.Status}");
        var moving = named.Where(s => s.Status == from).Select(s => s.DistributorId).ToHashSet(StringComparer.Ordinal);
        // A repeat is harmless: the shares are already there, and the distributors did their part when they got there.
        if (moving.Count == 0) return await DoneAsync(order);

        // Before the state write, and idempotent: if the write fails, a retry does it again without doing it twice.
        if (atDistributor is not null) await Task.WhenAll(moving.Select(atDistributor));
        var now = clock.GetUtcNow();
        IReadOnlyList<OrderShare> next = [.. shares.Select(s => moving.Contains(s.DistributorId) ? s with { Status = to, UpdatedAt = now } : s)];
        var changed = order with { Shares = next, Status = LeastAdvanced(next), UpdatedAt = now };
        state.State.Order = changed;
        state.State.Revision++;
        try
        {
            await state.SaveAsync(this);
        }
        catch
        {
            state.State.Order = order;
            state.State.Revision--;
            throw;
        }
        return await DoneAsync(changed);
    }

    /// <summary>An order is as far as its least advanced share: Shipped only once every distributor has shipped.
    /// Allocated, Confirmed, Shipped and Completed are declared in that order.</summary>
    private static OrderStatus LeastAdvanced(IReadOnlyList<OrderShare> shares) => shares.Min(s => s.Status);

    private static PlaceResult Refused(QuotaTicket ticket, string campaignId) => ticket.Outcome switch
    {
        QuotaOutcome.CampaignNotFound => new(PlaceOutcome.CampaignNotFound, null, $"campaign '{campaignId}' does not exist"),
        QuotaOutcome.NotOpen => new(PlaceOutcome.CampaignNotOpen, null, $"campaign '{campaignId}' is {ticket.Status}, not open for orders"),
        QuotaOutcome.RegionNotEligible => new(PlaceOutcome.RegionNotEligible, null, $"campaign '{campaignId}' does not cover the customer's region"),
        _ => new(PlaceOutcome.SoldOut, null, $"campaign '{campaignId}' is sold out"),
    };

    private static TransitionResult NotFound() => new(TransitionOutcome.NotFound, null, null);
    private static TransitionResult NotAllowed(string detail) => new(TransitionOutcome.NotAllowed, null, detail);
    /// <summary>A change is answered once its journal record is durable (the state write before this call).</summary>
    private static Task<TransitionResult> DoneAsync(OrderView order) => Task.FromResult(new TransitionResult(TransitionOutcome.Done, order, null));
}
