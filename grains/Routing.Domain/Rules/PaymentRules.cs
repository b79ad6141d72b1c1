namespace Routing.Domain.Rules;

/// <summary>How a payment or a refund request went (<see cref="PaymentRules"/>).</summary>
public enum PaymentChange
{
    Done,
    /// <summary>The same payment (or refund) id again: nothing changes, the answer is the order as it is.</summary>
    Repeat,
    NoPaymentDue,
    AmountMismatch,
    /// <summary>Paid already, under another payment id.</summary>
    AlreadyPaid,
    /// <summary>Nothing can be paid any more: the order was cancelled (or its deadline passed).</summary>
    Closed,
    /// <summary>Its deadline passed unpaid: the order is to be cancelled now.</summary>
    Overdue,
    NoRefundDue,
    /// <summary>Refunded already, under another refund id.</summary>
    AlreadyRefunded,
}

/// <summary>An order's payment deadline, payment and refund. A campaign with a payment window gives each order it
/// allocates a pending payment of the order's total, due that many seconds later; unpaid at the deadline, the order is
/// cancelled and gives back what it holds.</summary>
public static class PaymentRules
{
    /// <summary>What an order of these quantities at this unit price, allocated at <paramref name="at"/>, owes (its
    /// <see cref="Total"/>), or null when its campaign sets no window.</summary>
    public static Payment? Open(int? windowSeconds, IEnumerable<int> quantities, decimal? unitPrice, DateTimeOffset at) =>
        windowSeconds is { } seconds ? new Payment(PaymentStatus.Pending, at.AddSeconds(seconds), Total(quantities, unitPrice)) : null;

    /// <summary>The order's total: its units at its unit price (an order without a price owes nothing).</summary>
    public static decimal Total(IEnumerable<int> quantities, decimal? unitPrice) => (unitPrice ?? 0m) * quantities.Sum();

    /// <summary>When an order at <paramref name="status"/> with this payment expires unpaid: its deadline while it is
    /// pending and the order still holds what it took; otherwise never (null). The journal indexes orders by it.</summary>
    public static DateTimeOffset? ExpiresAt(OrderStatus status, Payment? payment) =>
        payment is { Status: PaymentStatus.Pending } && OrderRules.HoldsCampaignUnits(status) ? payment.DueAt : null;

    /// <summary>Whether the deadline has passed unpaid.</summary>
    public static bool IsOverdue(Payment? payment, DateTimeOffset now) => payment is { Status: PaymentStatus.Pending } && now >= payment.DueAt;

    /// <summary>The payment of an order being cancelled: a paid one is refunded, an unpaid one is void (or expired, when
    /// its deadline is why).</summary>
    public static Payment? OnCancel(Payment? payment, bool expired) => payment?.Status switch
    {
        PaymentStatus.Pending => payment with { Status = expired ? PaymentStatus.Expired : PaymentStatus.Void },
        PaymentStatus.Paid => payment with { Status = PaymentStatus.RefundDue },
        _ => payment,
    };

    /// <summary>Pays <paramref name="amount"/> under <paramref name="paymentId"/>: due, in full, before the deadline.</summary>
    public static (PaymentChange Change, Payment? Payment) Pay(Payment? payment, string paymentId, decimal amount, DateTimeOffset now)
    {
        if (payment is null) return (PaymentChange.NoPaymentDue, null);
        if (payment.PaymentId is { } paid) return (paid == paymentId ? PaymentChange.Repeat : PaymentChange.AlreadyPaid, payment);
        if (payment.Status != PaymentStatus.Pending) return (PaymentChange.Closed, payment);
        if (IsOverdue(payment, now)) return (PaymentChange.Overdue, payment);
        if (amount != payment.Amount) return (PaymentChange.AmountMismatch, payment);
        return (PaymentChange.Done, payment with { Status = PaymentStatus.Paid, PaymentId = paymentId, PaidAt = now });
    }

    /// <summary>Records the refund of a paid order that was cancelled, under <paramref name="refundId"/>.</summary>
    public static (PaymentChange Change, Payment? Payment) Refund(Payment? payment, string refundId, DateTimeOffset now)
    {
        if (payment?.RefundId is { } refunded) return (refunded == refundId ? PaymentChange.Repeat : PaymentChange.AlreadyRefunded, payment);
        if (payment is not { Status: PaymentStatus.RefundDue }) return (PaymentChange.NoRefundDue, payment);
        return (PaymentChange.Done, payment with { Status = PaymentStatus.Refunded, RefundId = refundId, RefundedAt = now });
    }
}
