namespace Routing.Contracts.Alerts;

/// <summary>What an alert is about.</summary>
public enum AlertKind
{
    LowStock,
    OutOfStock,
    SubstitutionSuggested,
    AllocationFailed,
    ReconciliationDifference,
    /// <summary>A group-buy ended below its minimum: its orders were cancelled and their reservations released.</summary>
    CampaignNotFormed,
    /// <summary>A transfer arrived short: fewer units were received than dispatched.</summary>
    TransferDiscrepancy,
    /// <summary>A stocktake counted fewer units than are reserved: that line was not applied and needs review.</summary>
    StocktakeShortfall,
    /// <summary>SAP's on hand would have taken on hand below what is reserved: it went down to reserved only, and the
    /// orders holding that stock are at risk.</summary>
    ReconciliationShortfall,
    /// <summary>A SKU's stock covers fewer days of sales than <c>lowCoverDays</c> at its current velocity (库存预测).</summary>
    LowCover,
}

/// <summary>An alert to raise. Alerts with the same <see cref="DedupeKey"/> while one is open are counted, not repeated.</summary>
[GenerateSerializer, Immutable]
public sealed record AlertDraft(
    [property: Id(0)] AlertKind Kind,
    [property: Id(1)] string DedupeKey,
    [property: Id(2)] string Message,
    [property: Id(3)] string? DistributorId = null,
    [property: Id(4)] string? Sku = null,
    [property: Id(5)] string? OrderId = null,
    [property: Id(6)] string? CampaignId = null);

/// <summary>An alert in the log.</summary>
[GenerateSerializer, Immutable]
public sealed record Alert(
    [property: Id(0)] long Id,
    [property: Id(1)] AlertKind Kind,
    [property: Id(2)] string DedupeKey,
    [property: Id(3)] string Message,
    [property: Id(4)] string? DistributorId,
    [property: Id(5)] string? Sku,
    [property: Id(6)] string? OrderId,
    [property: Id(7)] string? CampaignId,
    [property: Id(8)] DateTimeOffset RaisedAt,
    [property: Id(9)] int Occurrences,
    [property: Id(10)] DateTimeOffset? ClearedAt,
    [property: Id(11)] string? AcknowledgedBy,
    [property: Id(12)] DateTimeOffset? AcknowledgedAt)
{
    public bool Open => ClearedAt is null && AcknowledgedAt is null;
}

/// <summary>Which alerts to list.</summary>
[GenerateSerializer, Immutable]
public sealed record AlertQuery(
    [property: Id(0)] string? DistributorId = null,
    [property: Id(1)] bool OpenOnly = false,
    [property: Id(2)] int Limit = 200);
