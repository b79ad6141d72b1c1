namespace Routing.Domain;

/// <summary>Where an order's payment is (<see cref="Rules.PaymentRules"/>). The numbers are what stored orders hold.</summary>
public enum PaymentStatus
{
    /// <summary>Due by <see cref="Payment.DueAt"/>; unpaid then, the order is cancelled.</summary>
    Pending = 1,
    Paid = 2,
    /// <summary>Paid, then cancelled: the money goes back.</summary>
    RefundDue = 3,
    Refunded = 4,
    /// <summary>Unpaid at its deadline: the order was cancelled for it.</summary>
    Expired = 5,
    /// <summary>The order was cancelled before it was paid: nothing is due any more.</summary>
    Void = 6,
}

/// <summary>An order's payment: what is due (<see cref="Amount"/>, the order's total) by when, and how it was paid and
/// refunded. Payments and refunds are idempotent by their ids.</summary>
[GenerateSerializer, Immutable, Alias("payment")]
public sealed record Payment(
    [property: Id(0)] PaymentStatus Status,
    [property: Id(1)] DateTimeOffset DueAt,
    [property: Id(2)] decimal Amount,
    [property: Id(3)] string? PaymentId = null,
    [property: Id(4)] DateTimeOffset? PaidAt = null,
    [property: Id(5)] string? RefundId = null,
    [property: Id(6)] DateTimeOffset? RefundedAt = null);

/// <summary>Why an order was cancelled, as the codes the API answers in <c>cancelReason</c>.</summary>
public static class CancelReasons
{
    public const string ByCustomer = "byCustomer";
    public const string ByOps = "byOps";
    public const string CampaignNotFormed = "campaignNotFormed";
    public const string PaymentExpired = "paymentExpired";
    /// <summary>Rejected in review by ops, or left undecided past the review rules' <c>autoRejectAfterSeconds</c>.</summary>
    public const string RejectedInReview = "rejectedInReview";
    /// <summary>A pre-order not confirmed by its <c>expiresAt</c>.</summary>
    public const string PreorderExpired = "preorderExpired";
    public const string BySalesManager = "bySalesManager";
}
