using Routing.Domain;

namespace Routing.Contracts.Orders;

/// <summary>Where an order is in its life.</summary>
public enum OrderStatus
{
    Placed,
    Allocated,
    Confirmed,
    Shipped,
    Completed,
    Rejected,
    Cancelled,
    /// <summary>Needs a person: the routing policy sent it to manual review.</summary>
    Exception,
    /// <summary>Not fillable as ordered; in-stock substitutes are suggested.</summary>
    AwaitingSubstitution,
    /// <summary>Not fillable now; waiting for stock.</summary>
    Backordered,
}

/// <summary>A request to place an order. The customer comes from the caller's token, never from the body.
/// A campaign order has one line whose SKU is ignored: the campaign decides the SKU.</summary>
[GenerateSerializer, Immutable]
public sealed record PlaceOrder(
    [property: Id(0)] string CustomerId,
    [property: Id(1)] string? CampaignId,
    [property: Id(2)] IReadOnlyList<OrderLine> Lines,
    [property: Id(3)] string IdempotencyKey)
{
    /// <summary>What makes two requests "the same request" for idempotency.</summary>
    public string Fingerprint() =>
        $"{CustomerId}|{CampaignId}|{string.Join(';', Lines.Select(l => $"{l.Sku}:{l.Quantity}:{l.Group}"))}";
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
    [property: Id(12)] DateTimeOffset UpdatedAt);

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
