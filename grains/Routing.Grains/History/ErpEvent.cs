using System.Globalization;
using System.Text.Json.Serialization;
using Routing.Domain;

namespace Routing.Grains.History;

/// <summary>What changed, as SAP reads it in the outbound feed (<c>GET /api/erp/events</c>).</summary>
public enum ErpEventType
{
    /// <summary>The order holds stock at its distributors: placed, approved after a hold, a pre-order confirmed, or routed
    /// into stock later.</summary>
    [JsonStringEnumMemberName("orderAllocated")] OrderAllocated,
    [JsonStringEnumMemberName("orderPaid")] OrderPaid,
    /// <summary>Every distributor confirmed its share.</summary>
    [JsonStringEnumMemberName("orderConfirmed")] OrderConfirmed,
    /// <summary>Every distributor shipped its share.</summary>
    [JsonStringEnumMemberName("orderShipped")] OrderShipped,
    [JsonStringEnumMemberName("orderCancelled")] OrderCancelled,
    /// <summary>A paid order was cancelled: its payment is to be refunded.</summary>
    [JsonStringEnumMemberName("refundDue")] RefundDue,
    /// <summary>A customer's return arrived at a distributor (all of it, damaged units too; those follow as a write-off).</summary>
    [JsonStringEnumMemberName("returnReceived")] ReturnReceived,
    /// <summary>A transfer left its source distributor.</summary>
    [JsonStringEnumMemberName("transferDispatched")] TransferDispatched,
    /// <summary>A transfer arrived at its destination.</summary>
    [JsonStringEnumMemberName("transferReceived")] TransferReceived,
    /// <summary>On hand changed otherwise: received, set by hand, a stocktake, a SAP snapshot, a write-off (see the kind).</summary>
    [JsonStringEnumMemberName("stockAdjusted")] StockAdjusted,
}

/// <summary>One event of the ERP feed: its <see cref="Cursor"/> (pass it as <c>after</c> to read what follows), what
/// changed and when, and either the order or the stock movement it is about.</summary>
public sealed record ErpEvent(
    string Cursor,
    ErpEventType Type,
    DateTimeOffset At,
    ErpOrderFacts? Order,
    ErpStockFacts? Stock);

/// <summary>An event as it is written, before the feed gives it its place (its cursor).</summary>
public sealed record ErpChange(
    ErpEventType Type,
    DateTimeOffset At,
    ErpOrderFacts? Order,
    ErpStockFacts? Stock)
{
    /// <summary>The event this change is at its place in the feed.</summary>
    public ErpEvent WithCursor(ErpCursor cursor) => new(cursor.ToString(), Type, At, Order, Stock);
}

/// <summary>The order an event is about, as it was once the change was made. <see cref="Total"/> is its units at its
/// unit price, when it has one (campaign orders).</summary>
public sealed record ErpOrderFacts(
    string OrderId,
    string CustomerId,
    string? CampaignId,
    OrderStatus Status,
    IReadOnlyList<Allocation> Allocations,
    decimal? UnitPrice,
    decimal? Total,
    Payment? Payment,
    string? CancelReason);

/// <summary>The stock movement an event is about: <see cref="Quantity"/> is the change of on hand (signed),
/// <see cref="OperationId"/> the transfer, return, stocktake or SAP snapshot that made it (none for stock set by hand),
/// <see cref="Seq"/> its number in the distributor's ledger.</summary>
public sealed record ErpStockFacts(
    string DistributorId,
    long Seq,
    MovementKind Kind,
    string Sku,
    int Quantity,
    int OnHandAfter,
    string? OperationId,
    string Cause);

/// <summary>A place in the feed: events are ordered by (<see cref="Major"/>, <see cref="Minor"/>). Written
/// <c>"{major}-{minor}"</c>; clients treat it as opaque. <see cref="Start"/> is before every event.</summary>
public readonly record struct ErpCursor(long Major, long Minor)
{
    public static readonly ErpCursor Start = new(0, 0);

    /// <summary>Longest part a cursor may have (a long's digits).</summary>
    private const int MaxDigits = 19;

    public static bool TryParse(string? text, out ErpCursor cursor)
    {
        cursor = Start;
        if (text is null) return false;
        var dash = text.IndexOf('-', StringComparison.Ordinal);
        if (dash <= 0 || dash > MaxDigits || text.Length - dash - 1 is < 1 or > MaxDigits) return false;
        if (!long.TryParse(text.AsSpan(0, dash), NumberStyles.None, CultureInfo.InvariantCulture, out var major)
            || !long.TryParse(text.AsSpan(dash + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var minor)) return false;
        cursor = new ErpCursor(major, minor);
        return true;
    }

    /// <summary>Whether this place comes before <paramref name="other"/>.</summary>
    public bool IsBefore(ErpCursor other) => Major < other.Major || Major == other.Major && Minor < other.Minor;

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Major}-{Minor}");
}
