using Routing.Domain;

namespace Routing.Contracts.Customers;

/// <summary>A grower (or retailer) who places orders; the home distributor (归属) and the sales manager are optional.</summary>
/// <param name="SalesManagerId">The sales manager who looks after this customer (null: none). Its orders carry it from
/// when they are placed. Optional and last, so customers stored before it existed (no field 6) still read.</param>
[GenerateSerializer, Immutable]
public sealed record CustomerProfile(
    [property: Id(0)] string Id,
    [property: Id(1)] string Name,
    [property: Id(2)] string Region,
    [property: Id(3)] GeoPoint Location,
    [property: Id(4)] string? HomeDistributorId,
    [property: Id(5)] string Kind,
    [property: Id(6)] string? SalesManagerId = null);

/// <summary>Whether a customer may buy more units of a campaign.</summary>
[GenerateSerializer, Immutable]
public sealed record LimitCheck(
    [property: Id(0)] bool Allowed,
    [property: Id(1)] int AlreadyBought);
