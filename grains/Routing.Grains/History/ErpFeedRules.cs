using Routing.Contracts.Orders;
using Routing.Domain;
using Routing.Domain.Rules;

namespace Routing.Grains.History;

/// <summary>What an order's record is compared on to decide whether a write changed it (<see cref="ErpOrderCandidate"/>).</summary>
public enum ErpWatch
{
    /// <summary>The order's status.</summary>
    Status,
    /// <summary>Its payment's status (none when it has no payment).</summary>
    Payment,
}

/// <summary>An event a write of an order's record emits if the record before it (none for a new order) had another
/// <see cref="Watch"/>ed value than <see cref="Value"/>: the status (or payment status) changed into this one.</summary>
public sealed record ErpOrderCandidate(ErpWatch Watch, string Value, ErpChange Change)
{
    /// <param name="before">The replaced record's status and payment status; null for a new order.</param>
    public bool ChangedFrom((OrderStatus Status, PaymentStatus? Payment)? before) => Watch switch
    {
        ErpWatch.Status => before?.Status.ToString() != Value,
        ErpWatch.Payment => before?.Payment?.ToString() != Value,
    };
}

/// <summary>Which changes the ERP feed reports, in one place for both stores: an order's status into Allocated,
/// Confirmed, Shipped or Cancelled and its payment into Paid or RefundDue (decided against the record it replaces, so
/// a status written again emits nothing), and the stock movements SAP does not learn from the orders.</summary>
public static class ErpFeedRules
{
    /// <summary>Every event a write of <paramref name="order"/> may emit, in the order it emits them (the status first).</summary>
    public static IReadOnlyList<ErpOrderCandidate> Candidates(OrderView order)
    {
        var candidates = new List<ErpOrderCandidate>(2);
        if (OfStatus(order.Status) is { } type)
            candidates.Add(new ErpOrderCandidate(ErpWatch.Status, order.Status.ToString(), new ErpChange(type, order.UpdatedAt, Facts(order), null)));
        if (order.Payment is { } payment && OfPayment(payment.Status) is { } paymentType)
            candidates.Add(new ErpOrderCandidate(ErpWatch.Payment, payment.Status.ToString(), new ErpChange(paymentType, order.UpdatedAt, Facts(order), null)));
        return candidates;
    }

    /// <summary>The events a write of <paramref name="after"/> over <paramref name="before"/> (null: a new order) emits.</summary>
    public static IEnumerable<ErpChange> OrderChanges(OrderView? before, OrderView after) =>
        OrderChanges(before is null ? null : (before.Status, before.Payment?.Status), after);

    /// <summary>The same, knowing of the record before only what the feed watches (its status and payment status).</summary>
    public static IEnumerable<ErpChange> OrderChanges((OrderStatus Status, PaymentStatus? Payment)? before, OrderView after) =>
        Candidates(after).Where(c => c.ChangedFrom(before)).Select(c => c.Change);

    /// <summary>The event a ledger movement emits, if any: reservations, releases and shipments are the orders' events.</summary>
    public static ErpChange? OfMovement(LedgerMovement m)
    {
        ErpEventType? type = m.Kind switch
        {
            MovementKind.Return => ErpEventType.ReturnReceived,
            MovementKind.TransferOut => ErpEventType.TransferDispatched,
            MovementKind.TransferIn => ErpEventType.TransferReceived,
            MovementKind.Receive or MovementKind.Adjust or MovementKind.ErpAdjust or MovementKind.WriteOff => ErpEventType.StockAdjusted,
            MovementKind.Reserve or MovementKind.Release or MovementKind.Ship => null,
        };
        return type is { } t
            ? new ErpChange(t, m.At, null, new ErpStockFacts(m.DistributorId, m.Seq, m.Kind, m.Sku, m.OnHandAfter - m.OnHandBefore, m.OnHandAfter, m.OrderId, m.Cause))
            : null;
    }

    private static ErpEventType? OfStatus(OrderStatus status) => status switch
    {
        OrderStatus.Allocated => ErpEventType.OrderAllocated,
        OrderStatus.Confirmed => ErpEventType.OrderConfirmed,
        OrderStatus.Shipped => ErpEventType.OrderShipped,
        OrderStatus.Cancelled => ErpEventType.OrderCancelled,
        OrderStatus.Completed or OrderStatus.Rejected or OrderStatus.Exception or OrderStatus.AwaitingSubstitution
            or OrderStatus.Backordered or OrderStatus.OnHold or OrderStatus.PreOrder => null,
    };

    private static ErpEventType? OfPayment(PaymentStatus status) => status switch
    {
        PaymentStatus.Paid => ErpEventType.OrderPaid,
        PaymentStatus.RefundDue => ErpEventType.RefundDue,
        PaymentStatus.Pending or PaymentStatus.Refunded or PaymentStatus.Expired or PaymentStatus.Void => null,
    };

    private static ErpOrderFacts Facts(OrderView o) => new(o.OrderId, o.CustomerId, o.CampaignId, o.Status, o.Allocations, o.UnitPrice,
        o.UnitPrice is null ? null : PaymentRules.Total(o.Lines.Select(l => l.Quantity), o.UnitPrice), o.Payment, o.CancelReason);
}
