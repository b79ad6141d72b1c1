namespace Routing.Domain;

/// <summary>The review rules (订单审核) an order is checked against when it is placed; null turns a rule off. Held orders
/// wait for ops, or are rejected after <see cref="AutoRejectAfterSeconds"/> when that is set.</summary>
[GenerateSerializer, Immutable, Alias("reviewSettings")]
public sealed record ReviewSettings(
    [property: Id(0)] int? MaxUnits,
    [property: Id(1)] decimal? MaxAmount,
    [property: Id(2)] int? FirstOrderMaxUnits,
    [property: Id(3)] int? AutoRejectAfterSeconds)
{
    /// <summary>Every rule off: nothing is held.</summary>
    public static readonly ReviewSettings Off = new(null, null, null, null);
}

/// <summary>Why an order is held for review: which rule it broke (<see cref="Kind"/>, a <see cref="HoldKinds"/> code),
/// in words, and when.</summary>
[GenerateSerializer, Immutable, Alias("hold")]
public sealed record Hold(
    [property: Id(0)] string Kind,
    [property: Id(1)] string Reason,
    [property: Id(2)] DateTimeOffset RaisedAt);

/// <summary>The kinds of hold, as the API answers them.</summary>
public static class HoldKinds
{
    public const string MaxUnits = "maxUnits";
    public const string MaxAmount = "maxAmount";
    public const string FirstOrder = "firstOrder";
}
