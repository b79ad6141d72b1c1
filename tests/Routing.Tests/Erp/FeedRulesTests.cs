using Routing.Contracts.Orders;
using Routing.Domain;
using Routing.Grains.History;

namespace Routing.Tests.Erp;

/// <summary>Which changes the ERP feed reports (<see cref="ErpFeedRules"/>), the rule both stores apply: a status or
/// payment status changed into one SAP needs, never one written again; the stock movements orders do not cover.</summary>
public sealed class FeedRulesTests
{
    private static readonly DateTimeOffset At = new(2026, 11, 2, 8, 0, 0, TimeSpan.Zero);

    private static OrderView Order(OrderStatus status, PaymentStatus? payment = null, string? cancelReason = null) =>
        new("o-1", "c-1", "gb-1", status, [new OrderLine("UREA-50", 3)], [new Allocation("d-1", "UREA-50", 3)], 118m, null, [], [], null, At, At)
        {
            Payment = payment is { } p ? new Payment(p, At.AddHours(1), 354m, PaymentId: p == PaymentStatus.Pending ? null : "pay-1") : null,
            CancelReason = cancelReason,
        };

    private static List<ErpEventType> Changes(OrderView? before, OrderView after) => [.. ErpFeedRules.OrderChanges(before, after).Select(c => c.Type)];

    [Fact]
    public void A_status_changed_into_allocated_confirmed_shipped_or_cancelled_is_fed_once()
    {
        Assert.Equal([ErpEventType.OrderAllocated], Changes(null, Order(OrderStatus.Allocated, PaymentStatus.Pending)));
        Assert.Equal([ErpEventType.OrderAllocated], Changes(Order(OrderStatus.OnHold), Order(OrderStatus.Allocated)));
        Assert.Equal([ErpEventType.OrderAllocated], Changes(Order(OrderStatus.PreOrder), Order(OrderStatus.Allocated)));
        Assert.Equal([ErpEventType.OrderAllocated], Changes(Order(OrderStatus.Backordered), Order(OrderStatus.Allocated)));
        Assert.Equal([ErpEventType.OrderConfirmed], Changes(Order(OrderStatus.Allocated), Order(OrderStatus.Confirmed)));
        Assert.Equal([ErpEventType.OrderShipped], Changes(Order(OrderStatus.Confirmed), Order(OrderStatus.Shipped)));
        Assert.Equal([ErpEventType.OrderCancelled], Changes(Order(OrderStatus.Allocated, PaymentStatus.Pending), Order(OrderStatus.Cancelled, PaymentStatus.Void)));
        // Written again unchanged (a repeated step, a share confirmed while another is not): nothing.
        Assert.Empty(Changes(Order(OrderStatus.Allocated, PaymentStatus.Paid), Order(OrderStatus.Allocated, PaymentStatus.Paid)));
        Assert.Empty(Changes(Order(OrderStatus.Cancelled), Order(OrderStatus.Cancelled)));
        // What SAP does not book: held, pre-ordered, rejected, waiting, completed.
        foreach (var status in new[] { OrderStatus.OnHold, OrderStatus.PreOrder, OrderStatus.Rejected, OrderStatus.Backordered, OrderStatus.Exception, OrderStatus.AwaitingSubstitution })
            Assert.Empty(Changes(null, Order(status)));
        Assert.Empty(Changes(Order(OrderStatus.Shipped), Order(OrderStatus.Completed)));
    }

    [Fact]
    public void A_payment_paid_or_due_for_a_refund_is_fed_after_the_status_it_came_with()
    {
        Assert.Equal([ErpEventType.OrderPaid], Changes(Order(OrderStatus.Allocated, PaymentStatus.Pending), Order(OrderStatus.Allocated, PaymentStatus.Paid)));
        Assert.Equal([ErpEventType.OrderCancelled, ErpEventType.RefundDue],
            Changes(Order(OrderStatus.Allocated, PaymentStatus.Paid), Order(OrderStatus.Cancelled, PaymentStatus.RefundDue, "byOps")));
        Assert.Empty(Changes(Order(OrderStatus.Cancelled, PaymentStatus.RefundDue), Order(OrderStatus.Cancelled, PaymentStatus.Refunded)));
        Assert.Equal([ErpEventType.OrderCancelled], Changes(Order(OrderStatus.Allocated, PaymentStatus.Pending), Order(OrderStatus.Cancelled, PaymentStatus.Expired)));

        var refund = ErpFeedRules.OrderChanges(Order(OrderStatus.Allocated, PaymentStatus.Paid), Order(OrderStatus.Cancelled, PaymentStatus.RefundDue, "byOps")).Last();
        Assert.Equal(("o-1", "c-1", "gb-1", 118m, 354m, "byOps", PaymentStatus.RefundDue),
            (refund.Order!.OrderId, refund.Order.CustomerId, refund.Order.CampaignId, refund.Order.UnitPrice, refund.Order.Total, refund.Order.CancelReason,
             refund.Order.Payment!.Status));
        Assert.Equal(At, refund.At);
    }

    [Theory]
    [InlineData(MovementKind.Return, ErpEventType.ReturnReceived)]
    [InlineData(MovementKind.TransferOut, ErpEventType.TransferDispatched)]
    [InlineData(MovementKind.TransferIn, ErpEventType.TransferReceived)]
    [InlineData(MovementKind.Receive, ErpEventType.StockAdjusted)]
    [InlineData(MovementKind.Adjust, ErpEventType.StockAdjusted)]
    [InlineData(MovementKind.ErpAdjust, ErpEventType.StockAdjusted)]
    [InlineData(MovementKind.WriteOff, ErpEventType.StockAdjusted)]
    [InlineData(MovementKind.Reserve, null)]
    [InlineData(MovementKind.Release, null)]
    [InlineData(MovementKind.Ship, null)]
    public void Stock_movements_are_fed_unless_an_order_event_covers_them(MovementKind kind, ErpEventType? type)
    {
        var change = ErpFeedRules.OfMovement(new LedgerMovement("d-1", 42, kind, "UREA-50", 5, 10, 7, 0, 0, "t-1", "why", At));
        Assert.Equal(type, change?.Type);
        if (change is null) return;
        Assert.Equal(("d-1", 42L, kind, "UREA-50", -3, 7, "t-1"),
            (change.Stock!.DistributorId, change.Stock.Seq, change.Stock.Kind, change.Stock.Sku, change.Stock.Quantity, change.Stock.OnHandAfter, change.Stock.OperationId));
    }

    [Theory]
    [InlineData("0-0", 0L, 0L)]
    [InlineData("757-12", 757L, 12L)]
    [InlineData("9223372036854775807-1", long.MaxValue, 1L)]
    public void A_cursor_reads_back_as_written(string text, long major, long minor)
    {
        Assert.True(ErpCursor.TryParse(text, out var cursor));
        Assert.Equal(new ErpCursor(major, minor), cursor);
        Assert.Equal(text, cursor.ToString());
    }
}
