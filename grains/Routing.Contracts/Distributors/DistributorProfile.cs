using Routing.Domain;
using Routing.Domain.Explaining;
using Routing.Domain.Rules;

namespace Routing.Contracts.Distributors;

/// <summary>Who a distributor is and where it serves.</summary>
[GenerateSerializer, Immutable]
public sealed record DistributorProfile(
    [property: Id(0)] string Id,
    [property: Id(1)] string Name,
    [property: Id(2)] IReadOnlyList<string> Regions,
    [property: Id(3)] GeoPoint Location,
    [property: Id(4)] int Priority,
    [property: Id(5)] int DailyCapacity,
    [property: Id(6)] bool Active = true);

/// <summary>Stock of one SKU at one distributor.</summary>
[GenerateSerializer, Immutable]
public sealed record InventoryItem(
    [property: Id(0)] string Sku,
    [property: Id(1)] int OnHand,
    [property: Id(2)] int Reserved,
    [property: Id(3)] int Threshold)
{
    /// <summary>Units dispatched to this distributor by transfers and not yet received.</summary>
    [Id(4)] public int Incoming { get; init; }

    /// <summary>Units a day its orders take here (<see cref="Velocity"/>), as of the read.</summary>
    [Id(5)] public double VelocityPerDay { get; init; }

    /// <summary>Days the available and incoming units last at that velocity; null when nothing sells.</summary>
    [Id(6)] public double? DaysOfCover { get; init; }

    /// <summary>Units to order to cover the target days of sales (<c>Routing:Forecast:TargetDaysOfCover</c>).</summary>
    [Id(7)] public int SuggestedRestock { get; init; }

    /// <summary>Days of cover below <c>Routing:Forecast:LowCoverDays</c> (the <c>LowCover</c> alert's rule).</summary>
    [Id(8)] public bool LowCover { get; init; }

    public int Available => StockRules.Available(OnHand, Reserved);
    /// <summary>Available below the restock threshold (the stock rule the low-stock alert follows).</summary>
    public bool BelowThreshold => StockRules.IsLow(Available, Threshold);
}

/// <summary>Units held for one order at one distributor. <see cref="Verified"/> once the order's placer has confirmed,
/// after the fact, that the order really holds them, or when it was rebuilt from the order's journal record; an
/// unverified reservation whose order never saved expires.
/// <see cref="CustomerId"/> names the customer grain that placed it (it answers for a placement in progress); without
/// it (a re-route, or a reservation made before placements moved to the customer) the order grain answers.
/// <see cref="Attempts"/> are the placement attempts that reserved it and have not given it back: a placement that fails
/// gives back only its own claim (<see cref="IDistributorGrain.ReleaseAttemptAsync"/>), so an attempt of the same order
/// that is still in flight (or already wrote the order) keeps it. Null once verified: the order's record holds it.
/// Internal bookkeeping: not part of the API's view.</summary>
/// <remarks><see cref="Lines"/> is an array, never changed once made: a distributor's writes carry many reservations, and an array
/// of a sealed type is stored without the per-entry type information an interface-typed list needs.</remarks>
[GenerateSerializer, Immutable]
public sealed record Reservation(
    [property: Id(0)] string OrderId,
    [property: Id(1)] OrderLine[] Lines,
    [property: Id(2)] DateTimeOffset ReservedAt,
    [property: Id(3)] bool Verified = false,
    [property: Id(4)] string? CustomerId = null,
    [property: Id(5), System.Text.Json.Serialization.JsonIgnore] long[]? Attempts = null);

/// <summary>One order's request to reserve <see cref="Lines"/> all or nothing; <see cref="CustomerId"/> as in
/// <see cref="Reservation.CustomerId"/>; <see cref="AttemptId"/> names the placement attempt (see
/// <see cref="Reservation.Attempts"/>), 0 for none.</summary>
[GenerateSerializer, Immutable]
public sealed record ReservationRequest(
    [property: Id(0)] string OrderId,
    [property: Id(1)] OrderLine[] Lines,
    [property: Id(2)] string? CustomerId,
    [property: Id(3)] long AttemptId = 0);

/// <summary>The answer to a reservation; on failure, why (<see cref="Refusal"/>) and what is actually left, so the
/// router can re-plan. <see cref="Epoch"/> names the distributor's activation that holds it: the order's journal record
/// names it too, and is written only while that activation is the distributor's latest.</summary>
[GenerateSerializer, Immutable]
public sealed record ReservationResult(
    [property: Id(0)] bool Success,
    [property: Id(3)] Finding? Refusal,
    [property: Id(2)] DistributorSnapshot Snapshot,
    [property: Id(4)] long Epoch = 0)
{
    /// <summary>The refusal in words, with the distributor's id.</summary>
    public string? Reason => Refusal is null ? null : $"{Snapshot.Id}: {Refusal.Text}";
}

/// <summary>Outcome of setting a SKU's stock.</summary>
public enum StockUpdateOutcome
{
    Updated,
    DistributorNotFound,
    /// <summary>On hand would fall below the units already reserved (that would be an oversell).</summary>
    BelowReserved,
}

/// <summary>How a stock operation besides an order went at a distributor.</summary>
public enum StockOperationOutcome
{
    Done,
    DistributorNotFound,
    /// <summary>Not enough available (on hand less reserved) for it.</summary>
    InsufficientStock,
}

[GenerateSerializer, Immutable]
public sealed record StockUpdateResult(
    [property: Id(0)] StockUpdateOutcome Outcome,
    [property: Id(1)] InventoryItem? Item);
