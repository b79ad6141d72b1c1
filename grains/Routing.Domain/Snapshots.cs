namespace Routing.Domain;

/// <summary>Stock of one SKU at one distributor as last seen by the router (may be stale).</summary>
[GenerateSerializer, Immutable]
public readonly record struct StockLevel([property: Id(0)] int Available, [property: Id(1)] int Threshold);

/// <summary>What the router knows about a distributor: its profile, today's load and its stock.
/// Snapshots may be stale; the reservation at the distributor's grain is the authority. <see cref="Version"/> grows with
/// the distributor's stock movements, so an older snapshot arriving late never replaces a newer one.</summary>
[GenerateSerializer, Immutable]
public sealed record DistributorSnapshot(
    [property: Id(0)] string Id,
    [property: Id(1)] bool Active,
    [property: Id(2)] IReadOnlyList<string> Regions,
    [property: Id(3)] GeoPoint Location,
    [property: Id(4)] int Priority,
    [property: Id(5)] int DailyCapacity,
    [property: Id(6)] int LoadToday,
    [property: Id(7)] IReadOnlyDictionary<string, StockLevel> Stock,
    [property: Id(8)] long Version = 0)
{
    /// <summary>Units this distributor can still take today.</summary>
    public int CapacityLeft => Math.Max(0, DailyCapacity - LoadToday);

    public int Available(string sku) => Stock.TryGetValue(sku, out var s) ? s.Available : 0;
}

/// <summary>One line of an order: a SKU, a quantity and an optional line group (分组).</summary>
[GenerateSerializer, Immutable]
public sealed record OrderLine(
    [property: Id(0)] string Sku,
    [property: Id(1)] int Quantity,
    [property: Id(2)] string? Group = null);

/// <summary>Everything the router needs to place one order.</summary>
/// <param name="Participants">Distributors taking part (a campaign's list); null means all.</param>
/// <param name="Substitutes">Ranked substitutes per SKU (from the product catalog).</param>
[GenerateSerializer, Immutable]
public sealed record RouteRequest(
    [property: Id(0)] string OrderId,
    [property: Id(1)] string Region,
    [property: Id(2)] GeoPoint Location,
    [property: Id(3)] string? HomeDistributorId,
    [property: Id(4)] IReadOnlyList<OrderLine> Lines,
    [property: Id(5)] IReadOnlySet<string>? Participants = null,
    [property: Id(6)] IReadOnlyDictionary<string, IReadOnlyList<string>>? Substitutes = null);
