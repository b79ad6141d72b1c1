using System.ComponentModel.DataAnnotations;
using System.Diagnostics.CodeAnalysis;
using Routing.Domain;
using Routing.Domain.Rules;

namespace Routing.Contracts.Orders;

/// <summary>A request to place an order. The customer comes from the caller's token, never from the body.
/// A campaign order has one line whose SKU is ignored: the campaign decides the SKU.</summary>
[GenerateSerializer, Immutable]
public sealed record PlaceOrder(
    [property: Id(0)] string CustomerId,
    [property: Id(1)] string? CampaignId,
    [property: Id(2)] IReadOnlyList<OrderLine> Lines,
    [property: Id(3)] string IdempotencyKey)
{
    /// <summary>Set for a pre-order (预下单): how long its reservations are held for its confirmation.</summary>
    [Id(4)] public int? PreOrderHoldSeconds { get; init; }

    /// <summary>What makes two requests "the same request" for idempotency.</summary>
    public string Fingerprint() =>
        $"{CustomerId}|{CampaignId}|{string.Join(';', Lines.Select(l => $"{l.Sku}:{l.Quantity}:{l.Group}"))}"
        + (PreOrderHoldSeconds is { } hold ? $"|preorder:{hold}" : "");
}

/// <summary>An order as people and clients see it.</summary>
[GenerateSerializer, Immutable]
public sealed record OrderView(
    [property: Id(0)] string OrderId,
    [property: Id(1)] string CustomerId,
    [property: Id(2)] string? CampaignId,
    [property: Id(3)] OrderStatus Status,
    [property: Id(4)] IReadOnlyList<OrderLine> Lines,
    [property: Id(5)] IReadOnlyList<Allocation> Allocations,
    [property: Id(6)] decimal? UnitPrice,
    [property: Id(7)] string? Reason,
    [property: Id(8)] IReadOnlyList<Substitution> Substitutions,
    [property: Id(9)] IReadOnlyList<SubstituteSuggestion> Suggestions,
    [property: Id(10)] RoutingExplanation? Explanation,
    [property: Id(11)] DateTimeOffset PlacedAt,
    [property: Id(12)] DateTimeOffset UpdatedAt)
{
    // A field, not a constructor parameter, so orders stored before shares existed (no field 13 in Orleans' encoding,
    // no "shares" in a history row's JSON) still read: they get shares derived from their allocations and status.
    [SuppressMessage("Style", "IDE0032:Use auto property", Justification = "Orleans stores this field as field 13 (see above).")]
    [Id(13)] private readonly IReadOnlyList<OrderShare>? _shares;

    /// <summary>Each allocated distributor's share and how far its fulfilment is; empty while nothing is allocated.
    /// The order's <see cref="Status"/> is its least advanced share's.</summary>
    // Always in an answer, like the constructor's members: [Required] says so to the OpenAPI document, while a stored
    // row without it still reads (System.Text.Json does not enforce it).
    [Required]
    public IReadOnlyList<OrderShare> Shares
    {
        get => _shares ?? OrderShare.Of(Allocations, Status is OrderStatus.Confirmed or OrderStatus.Shipped or OrderStatus.Completed
            ? Status : OrderStatus.Allocated, UpdatedAt);
        init => _shares = value;
    }

    /// <summary>What the order owes and by when (a campaign with a payment window); null when nothing is due.</summary>
    [Id(14)] public Payment? Payment { get; init; }

    /// <summary>Why it was cancelled, as a code (<see cref="CancelReasons"/>); null unless cancelled.</summary>
    [Id(15)] public string? CancelReason { get; init; }

    /// <summary>Why it could not be allocated, as a code (<see cref="ExceptionRules.CauseOf"/>); null once allocated.</summary>
    [Id(16)] public string? Cause { get; init; }

    /// <summary>The sales manager of the order's customer when the order was placed (null: the customer had none). Kept
    /// as placed: a customer who changes manager later does not move its earlier orders to the new one.</summary>
    [Id(17)] public string? SalesManagerId { get; init; }

    [SuppressMessage("Style", "IDE0032:Use auto property", Justification = "Orleans stores this field as field 18; orders stored before holds read as none.")]
    [Id(18)] private readonly IReadOnlyList<Hold>? _holds;

    /// <summary>The review rules it broke when placed (<see cref="ReviewRules"/>); kept after it is approved or rejected.</summary>
    [Required]
    public IReadOnlyList<Hold> Holds
    {
        get => _holds ?? [];
        init => _holds = value;
    }

    /// <summary>When an order waiting for a decision is decided for it: a held order is rejected (if the review rules
    /// auto-reject), a pre-order expires. Null for any other order.</summary>
    [Id(19)] public DateTimeOffset? ExpiresAt { get; init; }

    /// <summary>Set when it was taken as a pre-order (by a sales manager or ops), whatever became of it since.</summary>
    [Id(20)] public bool PreOrder { get; init; }

    /// <summary>The customer's home distributor (归属) when the order was placed (null: none, or an order placed before
    /// this was kept): what the analytics' home-distributor rate compares the allocations with.</summary>
    [Id(21)] public string? HomeDistributorId { get; init; }
}

/// <summary>One distributor's share of an order: its allocations there are one reservation, so they are confirmed,
/// shipped (off that distributor's stock only) and completed together. <see cref="Status"/> is
/// <see cref="OrderStatus.Allocated"/>, <see cref="OrderStatus.Confirmed"/>, <see cref="OrderStatus.Shipped"/> or
/// <see cref="OrderStatus.Completed"/>.</summary>
[GenerateSerializer, Immutable]
public sealed record OrderShare(
    [property: Id(0)] string DistributorId,
    [property: Id(1)] OrderStatus Status,
    [property: Id(2)] DateTimeOffset UpdatedAt)
{
    /// <summary>When the distributor confirmed its share (null until it did, and for shares confirmed before this was kept):
    /// what the analytics' time to confirm is measured to.</summary>
    [Id(3)] public DateTimeOffset? ConfirmedAt { get; init; }

    /// <summary>One share per distributor the allocations name, in the order they first appear.</summary>
    public static IReadOnlyList<OrderShare> Of(IReadOnlyList<Allocation> allocations, OrderStatus status, DateTimeOffset at) =>
        [.. allocations.Select(a => a.DistributorId).Distinct(StringComparer.Ordinal).Select(d => new OrderShare(d, status, at))];
}

/// <summary>How placing an order went. Only <see cref="Created"/> and <see cref="Replayed"/> carry an order.</summary>
public enum PlaceOutcome
{
    Created,
    /// <summary>The same idempotency key and body again: the original answer.</summary>
    Replayed,
    /// <summary>The same idempotency key with a different body.</summary>
    IdempotencyConflict,
    CustomerNotFound,
    CampaignNotFound,
    CampaignNotOpen,
    SoldOut,
    RegionNotEligible,
    LimitExceeded,
    ProductNotFound,
}

[GenerateSerializer, Immutable]
public sealed record PlaceResult(
    [property: Id(0)] PlaceOutcome Outcome,
    [property: Id(1)] OrderView? Order,
    [property: Id(2)] string? Detail);

/// <summary>How a payment or refund request went: the order as it is after it, unless not found.</summary>
[GenerateSerializer, Immutable]
public sealed record PaymentResult(
    [property: Id(0)] PaymentChange Change,
    [property: Id(1)] OrderView? Order);

/// <summary>How a status change went.</summary>
public enum TransitionOutcome
{
    Done,
    NotFound,
    /// <summary>The order's status does not allow it.</summary>
    NotAllowed,
}

[GenerateSerializer, Immutable]
public sealed record TransitionResult(
    [property: Id(0)] TransitionOutcome Outcome,
    [property: Id(1)] OrderView? Order,
    [property: Id(2)] string? Detail);
