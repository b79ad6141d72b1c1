using Routing.Domain;

namespace Routing.Contracts.Customers;

/// <summary>A grower (or retailer) who places orders; the home distributor (归属) is optional.</summary>
[GenerateSerializer, Immutable]
public sealed record CustomerProfile(
    [property: Id(0)] string Id,
    [property: Id(1)] string Name,
    [property: Id(2)] string Region,
    [property: Id(3)] GeoPoint Location,
    [property: Id(4)] string? HomeDistributorId,
    [property: Id(5)] string Kind);

/// <summary>Whether a customer may buy more units of a campaign.</summary>
[GenerateSerializer, Immutable]
public sealed record LimitCheck(
    [property: Id(0)] bool Allowed,
    [property: Id(1)] int AlreadyBought);
