using Routing.Contracts.Alerts;
using Routing.Contracts.Campaigns;
using Routing.Contracts.Stock;
using Routing.Domain;
using Routing.Domain.Rules;

namespace Routing.Contracts.Events;

/// <summary>A domain event raised by a grain, for live views. <see cref="Name"/> is the SignalR event name.</summary>
[GenerateSerializer, Immutable]
public abstract record RoutingEvent([property: Id(0)] DateTimeOffset At)
{
    public abstract string Name { get; }

    /// <summary>The distributor this event concerns, if any; a distributor only ever sees its own.</summary>
    public virtual string? DistributorId => null;
}

/// <summary>An order was allocated to one or more distributors.</summary>
[GenerateSerializer, Immutable]
public sealed record OrderAllocated(
    DateTimeOffset At,
    [property: Id(0)] string OrderId,
    [property: Id(1)] string? CampaignId,
    [property: Id(2)] IReadOnlyList<Allocation> Allocations) : RoutingEvent(At)
{
    public override string Name => EventNames.OrderAllocated;
}

/// <summary>An order could not be allocated (rejected, or sent to substitution, backorder or review).</summary>
[GenerateSerializer, Immutable]
public sealed record OrderRejected(
    DateTimeOffset At,
    [property: Id(0)] string OrderId,
    [property: Id(1)] string? CampaignId,
    [property: Id(2)] OrderStatus Status,
    [property: Id(3)] string Reason) : RoutingEvent(At)
{
    public override string Name => EventNames.OrderRejected;
}

/// <summary>An order changed after it was placed: its status (held, approved, confirmed by a distributor, shipped,
/// cancelled and why) or its payment; each of its <see cref="Distributors"/> sees it too. Placing announces <see cref="OrderAllocated"/> or <see cref="OrderRejected"/>.</summary>
[GenerateSerializer, Immutable]
public sealed record OrderChanged(
    DateTimeOffset At,
    [property: Id(0)] string OrderId,
    [property: Id(1)] string? CampaignId,
    [property: Id(2)] OrderStatus Status,
    [property: Id(3)] string? CancelReason,
    [property: Id(4)] PaymentStatus? Payment,
    [property: Id(5)] IReadOnlyList<string> Distributors) : RoutingEvent(At)
{
    public override string Name => EventNames.OrderChanged;
}

/// <summary>A transfer between two distributors was requested or moved on (dispatched, received, cancelled); both of
/// them see it.</summary>
[GenerateSerializer, Immutable]
public sealed record TransferChanged(
    DateTimeOffset At,
    [property: Id(0)] TransferView Transfer) : RoutingEvent(At)
{
    public override string Name => EventNames.TransferChanged;
}

/// <summary>A distributor's stock of a SKU changed; with what is available and whether that is below the threshold or out
/// (the stock rules', so a live view shows them without deriving them), with the forecast's velocity and days of cover.</summary>
[GenerateSerializer, Immutable]
public sealed record InventoryChanged(
    DateTimeOffset At,
    [property: Id(0)] string Distributor,
    [property: Id(1)] string Sku,
    [property: Id(2)] int OnHand,
    [property: Id(3)] int Reserved,
    [property: Id(4)] int Threshold,
    [property: Id(5)] double VelocityPerDay = 0,
    [property: Id(6)] double? DaysOfCover = null) : RoutingEvent(At)
{
    public override string Name => EventNames.InventoryChanged;
    public override string? DistributorId => Distributor;
    public int Available => StockRules.Available(OnHand, Reserved);
    public bool BelowThreshold => StockRules.IsLow(Available, Threshold);
    public bool OutOfStock => StockRules.IsOut(Available);
}

/// <summary>An alert was raised.</summary>
[GenerateSerializer, Immutable]
public sealed record AlertRaised(DateTimeOffset At, [property: Id(0)] Alert Alert) : RoutingEvent(At)
{
    public override string Name => EventNames.AlertRaised;
    public override string? DistributorId => Alert.DistributorId;
}

/// <summary>An open alert was cleared (its condition is over: restocked, or acknowledged).</summary>
[GenerateSerializer, Immutable]
public sealed record AlertCleared(DateTimeOffset At, [property: Id(0)] Alert Alert) : RoutingEvent(At)
{
    public override string Name => EventNames.AlertCleared;
    public override string? DistributorId => Alert.DistributorId;
}

/// <summary>A campaign's units sold or status changed; with its price standing (tiers reached, the next tier).</summary>
[GenerateSerializer, Immutable]
public sealed record CampaignProgress(
    DateTimeOffset At,
    [property: Id(0)] string CampaignId,
    [property: Id(1)] int Sold,
    [property: Id(2)] int Cap,
    [property: Id(3)] CampaignStatus Status,
    [property: Id(4)] decimal CurrentPrice,
    [property: Id(5)] int TiersReached,
    [property: Id(6)] PriceTier? NextTier) : RoutingEvent(At)
{
    public override string Name => EventNames.CampaignProgress;
}

/// <summary>The live event names of the public surface, in one place, with the payload type each carries.</summary>
public static class EventNames
{
    public const string OrderAllocated = "orderAllocated";
    public const string OrderRejected = "orderRejected";
    public const string OrderChanged = "orderChanged";
    public const string InventoryChanged = "inventoryChanged";
    public const string TransferChanged = "transferChanged";
    public const string AlertRaised = "alertRaised";
    public const string AlertCleared = "alertCleared";
    public const string CampaignProgress = "campaignProgress";

    /// <summary>Every live event by name (the OpenAPI document lists them, so clients' types come from the server).</summary>
    public static readonly IReadOnlyDictionary<string, Type> Payloads = new Dictionary<string, Type>
    {
        [OrderAllocated] = typeof(Events.OrderAllocated),
        [OrderRejected] = typeof(Events.OrderRejected),
        [OrderChanged] = typeof(Events.OrderChanged),
        [InventoryChanged] = typeof(Events.InventoryChanged),
        [TransferChanged] = typeof(Events.TransferChanged),
        [AlertRaised] = typeof(Events.AlertRaised),
        [AlertCleared] = typeof(Events.AlertCleared),
        [CampaignProgress] = typeof(Events.CampaignProgress),
    };
}
