using Routing.Contracts.Campaigns;
using Routing.Contracts.Customers;
using Routing.Contracts.Distributors;
using Routing.Contracts.Orders;
using Routing.Domain;
using Routing.Domain.Rules;
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
    /// <summary>The distributor activations whose reservations the next write makes durable (not stored: the journal
    /// checks them on that write, <see cref="OrderRecord.Fences"/>).</summary>
    [field: NonSerialized] public IReadOnlyList<ReservationFence> Fences { get; set; } = [];
}

/// <summary>One placed order: its re-routing, cancellation and fulfilment. Its customer's grain placed it and wrote its
/// first journal record (<see cref="OrderPlacement"/>); this grain's state is that record (<see cref="IOrderJournal"/>),
/// read when the order is read or changed, and every change is one write of it with a version check, answered once
/// durable. Not reentrant: changes to one order queue here. Fulfilment moves per distributor share
/// (<see cref="OrderShare"/>), the order's status following its least advanced share.</summary>
public sealed class OrderGrain(
    [PersistentState("order", StorageNames.Orders)] IPersistentState<OrderState> state,
    OrderPlacement placement,
    RoutingReadModel readModel,
    IRoutingEventPublisher events,
    TimeProvider clock) : Grain, IOrderGrain
{
    private string Id => this.GetPrimaryKeyString();

    /// <summary>The order, read again while this activation has none: its customer's grain may have placed it since.
    /// An activation without an order does not stay, so the next call reads the journal afresh.</summary>
    private async Task<OrderView?> CurrentAsync()
    {
        if (state.State.Order is null) await state.ReadStateAsync();
        if (state.State.Order is null) DeactivateOnIdle();
        return state.State.Order;
    }

    public Task<OrderView?> GetAsync() => CurrentAsync();

    public async Task<TransitionResult> RerouteAsync(string? substituteSku)
    {
        if (await CurrentAsync() is not { } order) return NotFound();
        if (!OrderRules.CanReroute(order.Status))
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
        var campaign = order.CampaignId is { } campaignId ? (await GrainFactory.GetGrain<ICampaignGrain>(campaignId).GetAsync())?.Definition : null;
        if (campaign is { Distributors.Count: > 0 }) participants = campaign.Distributors.ToHashSet(StringComparer.Ordinal);

        // The order keeps the campaign units and the customer's limit it holds: only reservations are at stake here.
        var startedAt = readModel.Now();
        var held = new OrderPlacement.Holdings(Id, null, order.CustomerId, limits: null);
        AllocationPlan plan;
        try
        {
            plan = await placement.RouteAsync(Id, customer, lines, policyId, participants, await readModel.GetProductsAsync(), startedAt, held);
        }
        catch
        {
            await placement.GiveBackAsync(held);
            throw;
        }
        if (plan.Outcome != RoutingOutcome.Allocated)
            return NotAllowed($"still cannot be allocated: {plan.Reason}");

        var substitutions = accepted is null ? plan.Substitutions
            : [.. plan.Substitutions, .. order.Lines.Where(l => l.Sku == accepted.OriginalSku)
                .Select(l => new Substitution(l.Sku, accepted.SubstituteSku, l.Quantity))];
        var now = clock.GetUtcNow();
        var allocated = order with
        {
            Status = OrderStatus.Allocated,
            Allocations = plan.Allocations,
            Shares = OrderShare.Of(plan.Allocations, OrderStatus.Allocated, now),
            Reason = null,
            Cause = null,
            Substitutions = substitutions,
            Suggestions = [],
            Explanation = plan.Explanation,
            UpdatedAt = now,
            // Allocated now: the campaign's payment window starts now.
            Payment = PaymentRules.Open(campaign?.PaymentWindowSeconds, order.Lines.Select(l => l.Quantity), order.UnitPrice, now),
        };
        state.State.Order = allocated;
        state.State.Revision++;
        state.State.Fences = held.FencesHeld();
        try
        {
            await state.SaveAsync(this);
        }
        catch
        {
            state.State.Order = order;
            state.State.Revision--;
            await placement.GiveBackAsync(held);
            throw;
        }
        await placement.AnnounceAsync(allocated, customer);
        return await DoneAsync(allocated);
    }

    public async Task<TransitionResult> CancelAsync(string reason, bool byOps, string? cancelReason = null)
    {
        if (await CurrentAsync() is not { } order) return NotFound();
        if (order.Status == OrderStatus.Cancelled) return await DoneAsync(order);
        if (OrderRules.WhyNotCancellable(order.Status, order.Shares.Select(s => (s.DistributorId, s.Status)), byOps) is { } why)
            return NotAllowed(why);
        return await DoneAsync(await CancelNowAsync(order, reason, cancelReason ?? (byOps ? CancelReasons.ByOps : CancelReasons.ByCustomer)));
    }

    public async Task<bool> ExpireIfDueAsync()
    {
        if (await CurrentAsync() is not { } order) return false;
        var now = clock.GetUtcNow();
        if (OrderRules.DecisionDueAt(order.Status, order.ExpiresAt) <= now && OrderRules.CancelReasonAtDeadline(order.Status) is { } code)
        {
            await CancelNowAsync(order, code == CancelReasons.PreorderExpired
                ? $"the pre-order was not confirmed by {order.ExpiresAt:u}"
                : $"not reviewed by {order.ExpiresAt:u}", code);
            return true;
        }
        if (!PaymentRules.IsOverdue(order.Payment, now)) return false;
        // Only what can be cancelled expires (a share shipped unpaid is for a person, like any partly shipped order).
        if (OrderRules.WhyNotCancellable(order.Status, order.Shares.Select(s => (s.DistributorId, s.Status)), byOps: true) is not null) return false;
        await CancelNowAsync(order, $"not paid by {order.Payment!.DueAt:u}", CancelReasons.PaymentExpired);
        return true;
    }

    public async Task<TransitionResult> ApproveAsync()
    {
        if (await CurrentAsync() is not { } order) return NotFound();
        // Approved before: it is allocated (or further) with the holds it had.
        if (order.Holds.Count > 0 && OrderRules.InFulfilment(order.Status)) return await DoneAsync(order);
        if (order.Status != OrderStatus.OnHold) return NotAllowed($"only an order on hold can be approved; this one is {order.Status}");
        var campaign = order.CampaignId is { } campaignId ? (await GrainFactory.GetGrain<ICampaignGrain>(campaignId).GetAsync())?.Definition : null;
        var now = clock.GetUtcNow();
        var approved = order with
        {
            Status = OrderStatus.Allocated,
            ExpiresAt = null,
            UpdatedAt = now,
            // Accepted now: the campaign's payment window starts now.
            Payment = PaymentRules.Open(campaign?.PaymentWindowSeconds, order.Lines.Select(l => l.Quantity), order.UnitPrice, now),
        };
        await SaveAsync(order, approved);
        return await DoneAsync(approved);
    }

    public async Task<TransitionResult> RejectAsync(string reason)
    {
        if (await CurrentAsync() is not { } order) return NotFound();
        if (order is { Status: OrderStatus.Cancelled, CancelReason: CancelReasons.RejectedInReview }) return await DoneAsync(order);
        if (order.Status != OrderStatus.OnHold) return NotAllowed($"only an order on hold can be rejected; this one is {order.Status}");
        return await DoneAsync(await CancelNowAsync(order, reason, CancelReasons.RejectedInReview));
    }

    public async Task<TransitionResult> ConfirmPreOrderAsync()
    {
        if (await CurrentAsync() is not { } order || !order.PreOrder) return NotFound();
        if (OrderRules.InFulfilment(order.Status)) return await DoneAsync(order);
        if (order.Status != OrderStatus.PreOrder) return NotAllowed($"only a pre-order can be confirmed; this one is {order.Status}");
        var confirmed = order with { Status = OrderStatus.Allocated, ExpiresAt = null, UpdatedAt = clock.GetUtcNow() };
        await SaveAsync(order, confirmed);
        return await DoneAsync(confirmed);
    }

    /// <summary>Cancels: durable first (the journal then counts its campaign units unsold, and a retried cancel finds it
    /// cancelled), then gives back its reservations and its customer's limit.</summary>
    private async Task<OrderView> CancelNowAsync(OrderView order, string reason, string code)
    {
        var cancelled = order with
        {
            Status = OrderStatus.Cancelled,
            Reason = reason,
            UpdatedAt = clock.GetUtcNow(),
            CancelReason = code,
            ExpiresAt = null,
            Payment = PaymentRules.OnCancel(order.Payment, expired: code == CancelReasons.PaymentExpired),
        };
        await SaveAsync(order, cancelled);
        await placement.ReleaseReservationsAsync(Id, order.Allocations.Select(a => a.DistributorId));
        await placement.ReleaseCustomerLimitAsync(order);
        return cancelled;
    }

    public async Task<PaymentResult> PayAsync(string paymentId, decimal amount)
    {
        if (await CurrentAsync() is not { } order) return new(PaymentChange.Done, null);
        var (change, payment) = PaymentRules.Pay(order.Payment, paymentId, amount, clock.GetUtcNow());
        if (change == PaymentChange.Overdue)
        {
            // Past the deadline, unpaid: expire it now rather than wait for the sweep.
            await ExpireIfDueAsync();
            return new(PaymentChange.Closed, state.State.Order);
        }
        if (change != PaymentChange.Done) return new(change, order);
        var paid = order with { Payment = payment, UpdatedAt = clock.GetUtcNow() };
        await SaveAsync(order, paid);
        return new(PaymentChange.Done, paid);
    }

    public async Task<PaymentResult> RefundAsync(string refundId)
    {
        if (await CurrentAsync() is not { } order) return new(PaymentChange.Done, null);
        var (change, payment) = PaymentRules.Refund(order.Payment, refundId, clock.GetUtcNow());
        if (change != PaymentChange.Done) return new(change, order);
        var refunded = order with { Payment = payment, UpdatedAt = clock.GetUtcNow() };
        await SaveAsync(order, refunded);
        return new(PaymentChange.Done, refunded);
    }

    /// <summary>One change of the order: its journal record written with the version check, then its live event; on
    /// failure the activation keeps the order as it was.</summary>
    private async Task SaveAsync(OrderView before, OrderView after)
    {
        state.State.Order = after;
        state.State.Revision++;
        try
        {
            await state.SaveAsync(this);
        }
        catch
        {
            state.State.Order = before;
            state.State.Revision--;
            throw;
        }
        events.Publish(OrderPlacement.Changed(after));
    }

    public Task<TransitionResult> ConfirmAsync(string? distributorId = null) =>
        FulfilAsync(distributorId, OrderStatus.Allocated, OrderStatus.Confirmed, atDistributor: null);

    public Task<TransitionResult> ShipAsync(string? distributorId = null) =>
        FulfilAsync(distributorId, OrderStatus.Confirmed, OrderStatus.Shipped,
            atDistributor: d => GrainFactory.GetGrain<IDistributorGrain>(d).ShipAsync(Id));

    public Task<TransitionResult> CompleteAsync(string? distributorId = null) =>
        FulfilAsync(distributorId, OrderStatus.Shipped, OrderStatus.Completed, atDistributor: null);

    /// <summary>Moves one distributor's share (or, with null, every share) from <paramref name="from"/> to
    /// <paramref name="to"/>, after doing its part at each moving distributor; all named shares move or none.</summary>
    private async Task<TransitionResult> FulfilAsync(string? distributorId, OrderStatus from, OrderStatus to, Func<string, Task>? atDistributor)
    {
        if (await CurrentAsync() is not { } order) return NotFound();
        if (!OrderRules.InFulfilment(order.Status))
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
        IReadOnlyList<OrderShare> next = [.. shares.Select(s => !moving.Contains(s.DistributorId) ? s
            : s with { Status = to, UpdatedAt = now, ConfirmedAt = to == OrderStatus.Confirmed ? now : s.ConfirmedAt })];
        var changed = order with { Shares = next, Status = OrderRules.LeastAdvanced(next.Select(s => s.Status)), UpdatedAt = now };
        await SaveAsync(order, changed);
        return await DoneAsync(changed);
    }

    private static TransitionResult NotFound() => new(TransitionOutcome.NotFound, null, null);
    private static TransitionResult NotAllowed(string detail) => new(TransitionOutcome.NotAllowed, null, detail);
    /// <summary>A change is answered once its journal record is durable (the state write before this call).</summary>
    private static Task<TransitionResult> DoneAsync(OrderView order) => Task.FromResult(new TransitionResult(TransitionOutcome.Done, order, null));
}
