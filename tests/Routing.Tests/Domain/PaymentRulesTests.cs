using Routing.Domain;
using Routing.Domain.Rules;

namespace Routing.Tests.Domain;

/// <summary>An order's payment: due in full by its deadline, paid once per payment id, refunded once when a paid order
/// is cancelled, and never payable once its deadline passed or it was cancelled.</summary>
public sealed class PaymentRulesTests
{
    private static readonly DateTimeOffset Placed = new(2026, 3, 1, 8, 0, 0, TimeSpan.Zero);
    private static readonly Payment Due = PaymentRules.Open(900, [2, 3], 118m, Placed)!;

    [Fact]
    public void A_campaign_with_a_window_makes_an_order_owe_its_total_by_the_deadline()
    {
        Assert.Equal(new Payment(PaymentStatus.Pending, Placed.AddMinutes(15), 590m), Due);
        Assert.Null(PaymentRules.Open(null, [5], 118m, Placed));
        Assert.Equal(Placed.AddMinutes(15), PaymentRules.ExpiresAt(OrderStatus.Allocated, Due));
        Assert.Null(PaymentRules.ExpiresAt(OrderStatus.Cancelled, Due));
        Assert.Null(PaymentRules.ExpiresAt(OrderStatus.Allocated, Due with { Status = PaymentStatus.Paid }));
    }

    [Fact]
    public void A_payment_is_taken_once_in_full_before_the_deadline()
    {
        var before = Placed.AddMinutes(14);
        Assert.Equal(PaymentChange.AmountMismatch, PaymentRules.Pay(Due, "p-1", 589.99m, before).Change);
        var (change, paid) = PaymentRules.Pay(Due, "p-1", 590m, before);
        Assert.Equal(PaymentChange.Done, change);
        Assert.Equal((PaymentStatus.Paid, "p-1", before), (paid!.Status, paid.PaymentId, paid.PaidAt));
        Assert.Equal((PaymentChange.Repeat, paid), PaymentRules.Pay(paid, "p-1", 590m, before.AddMinutes(5)));
        Assert.Equal(PaymentChange.AlreadyPaid, PaymentRules.Pay(paid, "p-2", 590m, before).Change);
        Assert.Equal(PaymentChange.NoPaymentDue, PaymentRules.Pay(null, "p-1", 590m, before).Change);
    }

    [Fact]
    public void At_the_deadline_an_unpaid_order_can_no_longer_be_paid()
    {
        Assert.False(PaymentRules.IsOverdue(Due, Placed.AddMinutes(15).AddTicks(-1)));
        Assert.True(PaymentRules.IsOverdue(Due, Placed.AddMinutes(15)));
        Assert.Equal(PaymentChange.Overdue, PaymentRules.Pay(Due, "p-1", 590m, Placed.AddMinutes(15)).Change);
        var expired = PaymentRules.OnCancel(Due, expired: true)!;
        Assert.Equal(PaymentStatus.Expired, expired.Status);
        Assert.Equal(PaymentChange.Closed, PaymentRules.Pay(expired, "p-1", 590m, Placed).Change);
        Assert.Equal(PaymentStatus.Void, PaymentRules.OnCancel(Due, expired: false)!.Status);
    }

    [Fact]
    public void A_paid_order_cancelled_is_refunded_once()
    {
        var paid = PaymentRules.Pay(Due, "p-1", 590m, Placed).Payment;
        var refundDue = PaymentRules.OnCancel(paid, expired: false)!;
        Assert.Equal(PaymentStatus.RefundDue, refundDue.Status);
        Assert.Equal(PaymentChange.NoRefundDue, PaymentRules.Refund(paid, "r-1", Placed).Change);
        var (change, refunded) = PaymentRules.Refund(refundDue, "r-1", Placed.AddHours(1));
        Assert.Equal(PaymentChange.Done, change);
        Assert.Equal((PaymentStatus.Refunded, "r-1"), (refunded!.Status, refunded.RefundId));
        Assert.Equal(PaymentChange.Repeat, PaymentRules.Refund(refunded, "r-1", Placed).Change);
        Assert.Equal(PaymentChange.AlreadyRefunded, PaymentRules.Refund(refunded, "r-2", Placed).Change);
        Assert.Equal(refunded, PaymentRules.OnCancel(refunded, expired: false)); // nothing more happens to it
    }
}
