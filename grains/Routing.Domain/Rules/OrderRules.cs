namespace Routing.Domain.Rules;

/// <summary>What an order's status allows: the order state machine, in one place. An order's status is its least advanced
/// distributor share's; each share moves Allocated → Confirmed → Shipped → Completed on its own.</summary>
public static class OrderRules
{
    /// <summary>The status an order gets from its routing.</summary>
    public static OrderStatus StatusOf(RoutingOutcome outcome) => outcome switch
    {
        RoutingOutcome.Allocated => OrderStatus.Allocated,
        RoutingOutcome.AwaitingSubstitution => OrderStatus.AwaitingSubstitution,
        RoutingOutcome.Backorder => OrderStatus.Backordered,
        RoutingOutcome.ManualReview => OrderStatus.Exception,
        RoutingOutcome.Rejected => OrderStatus.Rejected,
    };

    /// <summary>Whether its units count as sold in its campaign and against its customer's limit: a rejected or cancelled
    /// order gave them back.</summary>
    public static bool HoldsCampaignUnits(OrderStatus status) => status is not (OrderStatus.Rejected or OrderStatus.Cancelled);

    /// <summary>Whether it holds reservations at its allocated distributors (until each ships its share).</summary>
    public static bool HoldsStock(OrderStatus status) =>
        status is OrderStatus.Allocated or OrderStatus.Confirmed or OrderStatus.OnHold or OrderStatus.PreOrder;

    /// <summary>Whether it holds reservations at one of its distributors, whose share is at <paramref name="shareStatus"/>:
    /// it holds stock, and that share has not shipped. A distributor's reserved units are the sum of these (rebuilt from
    /// the order journal when it activates).</summary>
    public static bool HoldsStockAt(OrderStatus status, OrderStatus shareStatus) => HoldsStock(status) && !HasShipped(shareStatus);

    /// <summary>Whether it waits for a decision with a deadline: a held order for its review (auto-rejected at its
    /// <c>expiresAt</c>, if the review rules say so), a pre-order for its confirmation (expired at its <c>expiresAt</c>).</summary>
    public static bool AwaitsDecision(OrderStatus status) => status is OrderStatus.OnHold or OrderStatus.PreOrder;

    /// <summary>When an order waiting for a decision is decided for it, unless a person decides first: a held order is
    /// auto-rejected, a pre-order expires (both at its <paramref name="expiresAt"/>); null for any other order. The journal
    /// indexes orders by it and the decision sweep acts on it (a payment's deadline is <see cref="PaymentRules.ExpiresAt"/>).</summary>
    public static DateTimeOffset? DecisionDueAt(OrderStatus status, DateTimeOffset? expiresAt) =>
        AwaitsDecision(status) ? expiresAt : null;

    /// <summary>Why an order waiting for a decision is cancelled when its deadline passes: a held order was not reviewed
    /// in time (rejected), a pre-order was not confirmed (expired). Null for an order with no decision deadline.</summary>
    public static string? CancelReasonAtDeadline(OrderStatus status) =>
        status == OrderStatus.OnHold ? CancelReasons.RejectedInReview
        : status == OrderStatus.PreOrder ? CancelReasons.PreorderExpired
        : null;

    /// <summary>Whether it may be routed again: it could not be allocated, and is waiting for a substitute, stock or a person.</summary>
    public static bool CanReroute(OrderStatus status) =>
        status is OrderStatus.AwaitingSubstitution or OrderStatus.Backordered or OrderStatus.Exception;

    /// <summary>Whether it is allocated and its shares move through fulfilment.</summary>
    public static bool InFulfilment(OrderStatus status) =>
        status is OrderStatus.Allocated or OrderStatus.Confirmed or OrderStatus.Shipped or OrderStatus.Completed;

    /// <summary>Whether there is nothing left to wind up when its campaign does not form: it holds nothing, or is on its way.</summary>
    public static bool IsSettled(OrderStatus status) =>
        status is OrderStatus.Cancelled or OrderStatus.Rejected or OrderStatus.Shipped or OrderStatus.Completed;

    /// <summary>Whether a share at this status has left its distributor.</summary>
    public static bool HasShipped(OrderStatus shareStatus) => shareStatus is OrderStatus.Shipped or OrderStatus.Completed;

    /// <summary>Why an order with these shares cannot be cancelled by this caller, or null when it can. Shipped units are off
    /// a distributor's stock and on their way: giving back the order's campaign units and limit would count them unsold,
    /// so a partly shipped order is fulfilled (or handled by a person). Once a distributor has confirmed its share, only
    /// operations may cancel.</summary>
    public static string? WhyNotCancellable(OrderStatus status, IEnumerable<(string DistributorId, OrderStatus Status)> shares, bool byOps)
    {
        if (status is OrderStatus.Shipped or OrderStatus.Completed or OrderStatus.Rejected) return $"a {status} order cannot be cancelled";
        var list = shares.ToList();
        if (list.FirstOrDefault(s => HasShipped(s.Status)) is { DistributorId: { } shipped })
            return $"{shipped} has shipped its share; a partly shipped order cannot be cancelled";
        if (!byOps && list.Any(s => s.Status == OrderStatus.Confirmed))
            return "an order a distributor has confirmed (all of it or its share) can only be cancelled by operations";
        return null;
    }

    /// <summary>The status a share reaches by one fulfilment step from <paramref name="from"/>, or null at the end.</summary>
    public static OrderStatus? NextStep(OrderStatus from) => from switch
    {
        OrderStatus.Allocated => OrderStatus.Confirmed,
        OrderStatus.Confirmed => OrderStatus.Shipped,
        OrderStatus.Shipped => OrderStatus.Completed,
        OrderStatus.Completed or OrderStatus.Rejected or OrderStatus.Cancelled or OrderStatus.Exception
            or OrderStatus.AwaitingSubstitution or OrderStatus.Backordered or OrderStatus.OnHold or OrderStatus.PreOrder => null,
    };

    /// <summary>An order is as far as its least advanced share: Shipped only once every distributor has shipped
    /// (Allocated, Confirmed, Shipped and Completed are numbered in that order).</summary>
    public static OrderStatus LeastAdvanced(IEnumerable<OrderStatus> shares) => shares.Min();
}
