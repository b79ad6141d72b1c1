using Microsoft.Extensions.Logging;
using Routing.Contracts.Alerts;
using Routing.Contracts.Campaigns;
using Routing.Contracts.Catalog;
using Routing.Contracts.Customers;
using Routing.Contracts.Distributors;
using Routing.Contracts.Events;
using Routing.Contracts.Orders;
using Routing.Domain;
using Routing.Domain.Explaining;
using Routing.Domain.Rules;
using Routing.Grains.Campaigns;
using Routing.Grains.Distributors;
using Routing.Grains.Events;
using Routing.Grains.History;
using Routing.Grains.Infrastructure;

namespace Routing.Grains.Orders;

/// <summary>The per-customer limits a placement counts against: the placing customer grain's live count.</summary>
public interface ICustomerLimits
{
    /// <summary>Counts the order's units against the campaign's limit, unless that would exceed it; idempotent by order.</summary>
    LimitCheck TryCount(string campaignId, string orderId, int quantity, int limit);

    /// <summary>Gives the order's units back; idempotent.</summary>
    void Release(string campaignId, string orderId);

    /// <summary>Whether the customer has placed an order before (the review rules hold a first order apart).</summary>
    bool HasOrders { get; }
}

/// <summary>How an order is placed and routed, used by the customer grain that places it and the order grain that routes
/// it again: takes campaign units (from the silo's pool) and the customer's limit, routes with the pure
/// <see cref="Router"/>, reserves at the chosen distributors all or nothing (batched per distributor through the silo's
/// <see cref="ReservationBatcher"/>, re-routing when a reservation fails), and writes the order's one journal record: the
/// durability point. Until that record is durable, a failure gives back everything the placement holds.</summary>
public sealed partial class OrderPlacement(
    IGrainFactory grains,
    RoutingReadModel readModel,
    QuotaPools quotaPools,
    ReservationBatcher reservations,
    OrderStore store,
    IRoutingEventPublisher events,
    TimeProvider clock,
    ILogger<OrderPlacement> logger)
{
    /// <summary>Places a new order (the caller made sure the id is not in the journal). Answers once its journal record
    /// is durable; on a refusal (campaign, limit, product) nothing is held and nothing is written.</summary>
    public async Task<PlaceResult> PlaceAsync(string orderId, PlaceOrder command, CustomerProfile customer, ICustomerLimits limits)
    {
        var startedAt = readModel.Now();
        var held = new Holdings(orderId, command.CampaignId, command.CustomerId, limits);
        try
        {
            return await PlaceHoldingAsync(orderId, command, customer, startedAt, held);
        }
        catch (Exception e) when (!held.Durable)
        {
            if (held.Writing && await WrittenAfterAllAsync(orderId, command, held, e) is { } written)
            {
                await AnnounceAsync(written, customer);
                return new(PlaceOutcome.Created, written, null);
            }
            // Not durable, so not acknowledged: give back all it may hold, so that a retry starts clean.
            await GiveBackAsync(held);
            throw;
        }
    }

    /// <summary>After the journal write failed: a failure can come after the commit (the connection lost on the way
    /// back), so look. Written: the order is durable after all, and keeps what it holds. Not there: null (give it all
    /// back). Cannot tell: keep everything held — an undersell, never an oversell; the reservations are settled by the
    /// distributors' check with this customer's grain, which reads the journal — and fail.</summary>
    private async Task<OrderView?> WrittenAfterAllAsync(string orderId, PlaceOrder command, Holdings held, Exception writeFailure)
    {
        OrderState? stored;
        try
        {
            (_, stored) = await store.ReadAsync(orderId);
        }
        catch (Exception e)
        {
            held.Durable = true; // unknown: nothing is given back
            LogJournalUnreadable(logger, e, orderId, writeFailure.Message);
            throw;
        }
        if (stored?.Order is not { } written || stored.Fingerprint != command.Fingerprint()) return null;
        held.Durable = true;
        await SettleCampaignUnitsAsync(held, durable: true);
        LogJournalWriteLanded(logger, orderId, writeFailure.Message);
        return written;
    }

    private async Task<PlaceResult> PlaceHoldingAsync(string orderId, PlaceOrder command, CustomerProfile customer, long startedAt, Holdings held)
    {
        var products = await readModel.GetProductsAsync();
        var lines = command.Lines;
        var policyId = RoutingPolicy.DefaultId;
        IReadOnlySet<string>? participants = null;
        decimal? unitPrice = null;
        int? paymentWindow = null;
        var quantity = lines.Sum(l => l.Quantity);

        if (command.CampaignId is { } campaignId)
        {
            var (ticket, pool) = quotaPools.TryTake(campaignId, quantity, customer.Region);
            if (ticket is null)
            {
                ticket = await grains.GetGrain<ICampaignQuotaGrain>(campaignId).TakeAsync(quantity, customer.Region);
                pool = quotaPools.Find(campaignId);
            }
            if (ticket.Outcome != QuotaOutcome.Taken) return Refused(ticket, campaignId);
            // The holder grain is this silo's, so its pool is here (a pool stays until it is settled).
            held.Pool = pool;
            held.CampaignUnits = quantity;
            var campaign = ticket.Definition!;
            // The customer's limit is live state at its grain; the order's journal record is its durable trace.
            var limit = held.Limits!.TryCount(campaignId, orderId, quantity, campaign.PerCustomerLimit);
            if (!limit.Allowed)
            {
                await GiveBackAsync(held);
                return new(PlaceOutcome.LimitExceeded, null,
                    $"the limit is {campaign.PerCustomerLimit} units per customer; already bought {limit.AlreadyBought}, ordered {quantity}");
            }
            held.CustomerLimit = true;
            lines = [new OrderLine(campaign.Sku, quantity)];
            policyId = campaign.PolicyId;
            participants = campaign.Distributors.Count > 0 ? campaign.Distributors.ToHashSet(StringComparer.Ordinal) : null;
            unitPrice = ticket.UnitPrice;
            paymentWindow = campaign.PaymentWindowSeconds;
        }
        else if (lines.Any(l => !products.ContainsKey(l.Sku)))
        {
            // Maybe created a moment ago: look again at products loaded after this order started.
            products = await readModel.GetProductsAsync(loadedAfter: startedAt);
            if (lines.FirstOrDefault(l => !products.ContainsKey(l.Sku)) is { } unknown)
                return new(PlaceOutcome.ProductNotFound, null, $"product '{unknown.Sku}' does not exist");
        }

        for (var attempt = 1; ; attempt++)
        {
            var plan = await RouteAsync(orderId, customer, lines, policyId, participants, products, startedAt, held);
            var status = OrderRules.StatusOf(plan.Outcome);
            var now = clock.GetUtcNow();
            IReadOnlyList<Hold> holds = [];
            DateTimeOffset? expiresAt = null;
            if (command.PreOrderHoldSeconds is { } holdSeconds)
            {
                // A pre-order is reserved in full until it is confirmed, or not taken at all.
                (status, expiresAt) = status == OrderStatus.Allocated ? (OrderStatus.PreOrder, now.AddSeconds(holdSeconds)) : (OrderStatus.Rejected, (DateTimeOffset?)null);
            }
            else if (status == OrderStatus.Allocated)
            {
                // Reserved as usual; an order that breaks a review rule waits for ops with its reservations.
                var rules = await readModel.GetReviewRulesAsync();
                var amount = unitPrice is null ? (decimal?)null : PaymentRules.Total(lines.Select(l => l.Quantity), unitPrice);
                holds = ReviewRules.Holds(rules, quantity, amount, firstOrder: !held.Limits!.HasOrders, now);
                if (holds.Count > 0) (status, expiresAt) = (OrderStatus.OnHold, ReviewRules.AutoRejectAt(rules, now));
            }
            var order = new OrderView(orderId, command.CustomerId, command.CampaignId, status, lines, plan.Allocations, unitPrice,
                plan.Reason, plan.Substitutions, plan.Suggestions, plan.Explanation, now, now)
            {
                Shares = OrderShare.Of(plan.Allocations, OrderStatus.Allocated, now),
                Cause = ExceptionRules.CauseOf(status, plan.Explanation.Decisions),
                SalesManagerId = customer.SalesManagerId,
                HomeDistributorId = customer.HomeDistributorId,
                // An allocated order of a campaign with a payment window owes its total by the deadline (a held one once approved).
                Payment = status == OrderStatus.Allocated ? PaymentRules.Open(paymentWindow, lines.Select(l => l.Quantity), unitPrice, now) : null,
                Holds = holds,
                ExpiresAt = expiresAt,
                PreOrder = command.PreOrderHoldSeconds is not null,
            };

            // A rejected order gives back what it took; the others keep their place in the campaign until cancelled.
            if (status == OrderStatus.Rejected) await GiveBackAsync(held);

            // The durability point: the order's journal record (its state and its history row in one write), which also
            // makes its reservations durable: it names the distributors' activations that hold them.
            var state = new OrderState { Order = order, Fingerprint = command.Fingerprint(), Revision = 1, Fences = held.FencesHeld() };
            held.Writing = true;
            int? written;
            try
            {
                written = await store.WriteAsync(state, expectedVersion: null);
            }
            catch (ReservationsMovedException moved) when (attempt < MaxMoves)
            {
                // A distributor activated again between reserving and this write, rebuilding its reservations from the
                // journal without this order: nothing was written. Reserve again (at its new activation) and write again.
                held.Writing = false;
                LogReservationsMoved(logger, orderId, moved.Stale);
                await ReserveAgainAsync(held, moved);
                continue;
            }
            if (written is null)
            {
                // Another placement of the same order got there first (only when two activations of this customer overlapped,
                // as while a silo is being declared dead). Its record is the order: give back what this attempt took, except
                // reservations, which the order id shares with that record; one it does not hold expires unverified.
                held.Distributors.Clear();
                await GiveBackAsync(held);
                var (_, stored) = await store.ReadAsync(orderId);
                return Answer(stored!, command);
            }
            // From here on the order exists: a failure below must not give back what it holds. Its units are the journal's now.
            held.Durable = true;
            await SettleCampaignUnitsAsync(held, durable: true);
            RoutingMetrics.OrdersPlaced.Add(1);
            (status == OrderStatus.Allocated ? RoutingMetrics.OrdersAllocated : RoutingMetrics.OrdersRejected).Add(1);
            RoutingMetrics.AllocationLatency.Record(readModel.ElapsedMs(startedAt));

            await AnnounceAsync(order, customer);
            return new(PlaceOutcome.Created, order, null);
        }
    }

    /// <summary>How often a placement reserves again after its journal write found a distributor moved on (each time a
    /// distributor activated between its reserving and its write: after a crash or a move, not under load).</summary>
    private const int MaxMoves = 3;

    /// <summary>After <see cref="ReservationsMovedException"/>: gives back this attempt's claims (at an activation that
    /// is gone, if it is still there) and tells the stale activations to go, so the next reservation reaches the new one.</summary>
    private async Task ReserveAgainAsync(Holdings held, ReservationsMovedException moved)
    {
        var stale = moved.Stale.Select(d => (Distributor: d, Epoch: held.Fences.GetValueOrDefault(d))).ToList();
        await ReleaseAttemptAsync(held, held.Distributors);
        held.Distributors.Clear();
        held.Fences.Clear();
        await Task.WhenAll(stale.Select(s => grains.GetGrain<IDistributorGrain>(s.Distributor).ReservationsMovedAsync(s.Epoch)));
    }

    /// <summary>The answer to a request whose order is already in the journal: the same request replays it; another
    /// request with the same idempotency key is refused.</summary>
    public static PlaceResult Answer(OrderState stored, PlaceOrder command) =>
        stored.Fingerprint == command.Fingerprint()
            ? new(PlaceOutcome.Replayed, stored.Order, null)
            : new(PlaceOutcome.IdempotencyConflict, null, "this Idempotency-Key was already used for a different request");

    /// <summary>Routes <paramref name="lines"/> for <paramref name="customer"/> under the named policy and reserves the plan.</summary>
    public async Task<AllocationPlan> RouteAsync(string orderId, CustomerProfile customer, IReadOnlyList<OrderLine> lines, string policyId,
        IReadOnlySet<string>? participants, IReadOnlyDictionary<string, Product> products, long startedAt, Holdings held)
    {
        var substitutes = lines.Select(l => l.Sku).Distinct()
            .Where(products.ContainsKey)
            .ToDictionary(sku => sku, sku => products[sku].Substitutes, StringComparer.Ordinal);
        var request = new RouteRequest(orderId, customer.Region, customer.Location, customer.HomeDistributorId, lines, participants, substitutes);
        var policy = await readModel.GetPolicyAsync(policyId) ?? await readModel.GetPolicyAsync(policyId, loadedAfter: startedAt);
        if (policy is null)
        {
            LogUnknownPolicy(logger, orderId, policyId);
            policy = await readModel.GetPolicyAsync(RoutingPolicy.DefaultId) ?? RoutingPolicy.Default;
        }
        return await AllocateAsync(request, policy, startedAt, held);
    }

    /// <summary>Routes and reserves until every reservation holds, or routing gives up. A failed reservation
    /// corrects that distributor's snapshot with the authority's answer, so each retry knows more and it converges.</summary>
    private async Task<AllocationPlan> AllocateAsync(RouteRequest request, RoutingPolicy policy, long startedAt, Holdings held)
    {
        var snapshots = (await readModel.GetSnapshotsAsync()).ToList();
        var retries = new List<Finding>();
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
                snapshots = [.. await readModel.GetSnapshotsAsync(loadedAfter: startedAt)];
                continue;
            }

            var perDistributor = plan.Allocations.GroupBy(a => a.DistributorId, StringComparer.Ordinal).ToList();
            held.Distributors.UnionWith(perDistributor.Select(g => g.Key));
            var results = await Task.WhenAll(perDistributor.Select(g => reservations.ReserveAsync(g.Key,
                new ReservationRequest(held.OrderId, [.. g.Select(a => new OrderLine(a.Sku, a.Quantity))], held.PlacedBy, held.AttemptId))));
            if (results.All(r => r.Success))
            {
                held.Fences.Clear();
                for (var i = 0; i < results.Length; i++) held.Fences[perDistributor[i].Key] = results[i].Epoch;
                return WithRetries(plan, retries);
            }

            // All or nothing: give back what this attempt did reserve, then route again knowing more.
            await ReleaseAttemptAsync(held, results.Where(r => r.Success).Select(r => r.Snapshot.Id));
            foreach (var failed in results.Where(r => !r.Success))
            {
                retries.Add(new ReservationRefused(failed.Snapshot.Id, failed.Refusal!));
                var index = snapshots.FindIndex(s => s.Id == failed.Snapshot.Id);
                if (index >= 0) snapshots[index] = failed.Snapshot;
            }
        }
        LogReservationsKeptFailing(logger, held.OrderId);
        var gaveUp = new Unfillable(WorkUnit.WholeOrder, new StockKeptChanging());
        return WithRetries(plan! with
        {
            Outcome = RoutingOutcome.Rejected,
            Allocations = [],
            Reason = gaveUp.Reason,
            Explanation = plan.Explanation with { Decisions = [.. plan.Explanation.Decisions, gaveUp] },
        }, retries);
    }

    private static AllocationPlan WithRetries(AllocationPlan plan, List<Finding> retries) =>
        retries.Count == 0 ? plan
        : plan with { Explanation = plan.Explanation with { Decisions = [.. retries, .. plan.Explanation.Decisions] } };

    public Task ReleaseReservationsAsync(string orderId, IEnumerable<string> distributorIds) =>
        Task.WhenAll(distributorIds.Distinct().Select(d => grains.GetGrain<IDistributorGrain>(d).ReleaseAsync(orderId)));

    /// <summary>Gives back this attempt's claim on the order's reservations: another attempt of the same order (its retry
    /// in a second activation of the customer's grain, while a silo is being declared dead) may hold them too.</summary>
    private Task ReleaseAttemptAsync(Holdings held, IEnumerable<string> distributorIds) =>
        Task.WhenAll(distributorIds.Distinct().Select(d => grains.GetGrain<IDistributorGrain>(d).ReleaseAttemptAsync(held.OrderId, held.AttemptId)));

    /// <summary>After an order's cancellation is durable, gives back its customer's limit. Its campaign units need no
    /// giving back: the campaign counts sold from the journal, where the order no longer holds them.</summary>
    public Task ReleaseCustomerLimitAsync(OrderView order) =>
        order.CampaignId is { } campaignId
            ? grains.GetGrain<ICustomerGrain>(order.CustomerId).ReleaseCampaignUnitsAsync(campaignId, order.OrderId)
            : Task.CompletedTask;

    /// <summary>What a placement (or a re-route) in progress holds, so a failure can give it all back.</summary>
    public sealed class Holdings(string orderId, string? campaignId, string customerId, ICustomerLimits? limits)
    {
        public string OrderId { get; } = orderId;
        public string? CampaignId { get; } = campaignId;
        /// <summary>The customer grain placing the order; null for a re-route (the order grain answers for it).</summary>
        public string? PlacedBy { get; } = limits is null ? null : customerId;
        public ICustomerLimits? Limits { get; } = limits;
        /// <summary>This attempt's claim on the reservations it makes (never 0).</summary>
        public long AttemptId { get; } = Random.Shared.NextInt64(1, long.MaxValue);
        /// <summary>The pool the campaign units were taken from; they go back to it, or count as consumed there.</summary>
        public QuotaPool? Pool { get; set; }
        public int CampaignUnits { get; set; }
        public bool CustomerLimit { get; set; }
        /// <summary>Distributors asked to reserve: releasing is idempotent, so all are released, reserved or not.</summary>
        public HashSet<string> Distributors { get; } = new(StringComparer.Ordinal);
        /// <summary>The plan's reservations: each distributor with the epoch of the activation that holds them.</summary>
        public Dictionary<string, long> Fences { get; } = new(StringComparer.Ordinal);

        /// <summary>What the order's journal record names of its reservations (<see cref="OrderRecord.Fences"/>).</summary>
        public IReadOnlyList<ReservationFence> FencesHeld() => [.. Fences.Select(f => new ReservationFence(f.Key, f.Value))];
        /// <summary>The order's record is durable (or may be): it keeps what it holds, whatever fails afterwards.</summary>
        public bool Durable { get; set; }
        /// <summary>Its journal record was sent: a failure from here may have come after the commit.</summary>
        public bool Writing { get; set; }
    }

    /// <summary>Gives back what a placement holds: first what is in this silo's memory (campaign units, the customer's
    /// limit), which cannot fail, then the reservations, which may (a distributor out of reach): those are released by
    /// the distributor's check of unverified reservations instead.</summary>
    public async Task GiveBackAsync(Holdings held)
    {
        if (held.CampaignId is { } limitCampaign && held.CustomerLimit)
        {
            held.Limits?.Release(limitCampaign, held.OrderId);
            held.CustomerLimit = false;
        }
        await SettleCampaignUnitsAsync(held, durable: false);
        try
        {
            await ReleaseAttemptAsync(held, held.Distributors);
            held.Distributors.Clear();
        }
        catch (Exception e)
        {
            // Never an oversell: an unreleased reservation stays unverified until the distributor's check releases it.
            LogReleaseFailed(logger, e, held.OrderId);
        }
    }

    /// <summary>Settles the order's campaign units at the pool they were taken from: consumed (its record is durable, the
    /// journal counts them) or given back. A pool whose holder activation went away while this order was in flight gets
    /// one woken, so that what settled is reported (never fails: unreported units are an undersell until the next report).</summary>
    private async Task SettleCampaignUnitsAsync(Holdings held, bool durable)
    {
        if (held.CampaignUnits == 0 || held.Pool is not { } pool) return;
        if (durable) pool.Consumed(held.CampaignUnits);
        else pool.Return(held.CampaignUnits);
        held.CampaignUnits = 0;
        if (pool.Attended) return;
        try
        {
            await grains.GetGrain<ICampaignQuotaGrain>(held.CampaignId!).SettleAsync();
        }
        catch (Exception e)
        {
            LogQuotaHolderNotWoken(logger, e, held.OrderId, held.CampaignId);
        }
    }

    /// <summary>Tells the live console, and raises an alert for an order that could not be allocated.</summary>
    public async Task AnnounceAsync(OrderView order, CustomerProfile customer)
    {
        var id = order.OrderId;
        if (order.Status == OrderStatus.Allocated)
        {
            events.Publish(new OrderAllocated(order.UpdatedAt, id, order.CampaignId, order.Allocations));
            return;
        }
        if (OrderRules.AwaitsDecision(order.Status))
        {
            // Reserved, but held for review or taken as a pre-order: nothing for a distributor to do yet.
            events.Publish(Changed(order));
            return;
        }
        var reason = order.Reason ?? order.Status.ToString();
        events.Publish(new OrderRejected(order.UpdatedAt, id, order.CampaignId, order.Status, reason));

        var alerts = grains.GetGrain<IAlertLogGrain>(0);
        var sku = order.Lines[0].Sku;
        if (order.Status == OrderStatus.AwaitingSubstitution)
        {
            var offered = string.Join(", ", order.Suggestions.Select(s => $"{s.SubstituteSku} ({s.AvailableNearby} nearby)"));
            await alerts.RaiseAsync(new AlertDraft(AlertKind.SubstitutionSuggested, AlertKeys.SubstitutionSuggested(id),
                $"order {id}: {reason}; suggested substitutes: {offered}",
                DistributorId: customer.HomeDistributorId, Sku: sku, OrderId: id, CampaignId: order.CampaignId));
        }
        else
        {
            await alerts.RaiseAsync(new AlertDraft(AlertKind.AllocationFailed, AlertKeys.AllocationFailed(order.CampaignId, sku),
                $"order {id} ({order.Status}): {reason}", Sku: sku, OrderId: id, CampaignId: order.CampaignId));
        }
    }

    /// <summary>The live event of a change to an order.</summary>
    public static OrderChanged Changed(OrderView order) => new(order.UpdatedAt, order.OrderId, order.CampaignId, order.Status,
        order.CancelReason, order.Payment?.Status, [.. order.Allocations.Select(a => a.DistributorId).Distinct(StringComparer.Ordinal)]);

    private static PlaceResult Refused(QuotaTicket ticket, string campaignId) => ticket.Outcome switch
    {
        QuotaOutcome.CampaignNotFound => new(PlaceOutcome.CampaignNotFound, null, $"campaign '{campaignId}' does not exist"),
        QuotaOutcome.NotOpen => new(PlaceOutcome.CampaignNotOpen, null, $"campaign '{campaignId}' is {ticket.Status}, not open for orders"),
        QuotaOutcome.RegionNotEligible => new(PlaceOutcome.RegionNotEligible, null, $"campaign '{campaignId}' does not cover the customer's region"),
        QuotaOutcome.SoldOut => new(PlaceOutcome.SoldOut, null, $"campaign '{campaignId}' is sold out"),
        QuotaOutcome.Taken => throw new ArgumentException("a ticket that took units is not a refusal", nameof(ticket)),
    };

    [LoggerMessage(Level = LogLevel.Warning, Message = "Order {OrderId}: its journal write failed ({Failure}) and reading it back failed too; it keeps what it holds")]
    private static partial void LogJournalUnreadable(ILogger logger, Exception exception, string orderId, string failure);

    [LoggerMessage(Level = LogLevel.Information, Message = "Order {OrderId}: its journal write failed ({Failure}) but the record is there: it was durable")]
    private static partial void LogJournalWriteLanded(ILogger logger, string orderId, string failure);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Order {OrderId}: routing policy {PolicyId} does not exist; routing with the default")]
    private static partial void LogUnknownPolicy(ILogger logger, string orderId, string policyId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Order {OrderId}: distributor(s) {Distributors} activated again since reserving; reserving again")]
    private static partial void LogReservationsMoved(ILogger logger, string orderId, IEnumerable<string> distributors);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Order {OrderId}: reservations kept failing; rejecting")]
    private static partial void LogReservationsKeptFailing(ILogger logger, string orderId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Order {OrderId}: could not release its reservations now; their distributors' check will")]
    private static partial void LogReleaseFailed(ILogger logger, Exception exception, string orderId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Order {OrderId}: could not wake campaign {CampaignId}'s quota holder; the next order there reports it")]
    private static partial void LogQuotaHolderNotWoken(ILogger logger, Exception exception, string orderId, string? campaignId);
}
