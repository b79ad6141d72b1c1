using System.Text.Json.Serialization;
using Routing.Contracts.Catalog;
using Routing.Contracts.Customers;
using Routing.Contracts.Distributors;

namespace Routing.Contracts.Erp;

/// <summary>What a SAP import brings: master data (products, distributors, customers) or stock levels. Named in JSON as
/// the request names them (<c>"kind": "stock"</c>).</summary>
public enum ImportKind
{
    [JsonStringEnumMemberName("products")] Products,
    [JsonStringEnumMemberName("distributors")] Distributors,
    [JsonStringEnumMemberName("customers")] Customers,
    [JsonStringEnumMemberName("stock")] Stock,
}

public enum ImportStatus
{
    /// <summary>Rows are arriving and being applied.</summary>
    Running,
    /// <summary>Every row was applied or rejected.</summary>
    Completed,
    /// <summary>The request broke off (malformed past some row, or cut short): the rows before were applied, and sending the
    /// batch again carries on.</summary>
    Failed,
}

/// <summary>A row that was not applied: its number (1 = the first row after the header or the first item of
/// <c>rows</c>), a code and the detail.</summary>
[GenerateSerializer, Immutable]
public sealed record ImportRejection(
    [property: Id(0)] int Row,
    [property: Id(1)] string Code,
    [property: Id(2)] string Detail);

/// <summary>A stock level from SAP: on hand and threshold of one SKU at one distributor (as <c>PUT …/inventory/{sku}</c>).</summary>
[GenerateSerializer, Immutable]
public sealed record ImportedStock(
    [property: Id(0)] string DistributorId,
    [property: Id(1)] string Sku,
    [property: Id(2)] int OnHand,
    [property: Id(3)] int Threshold);

/// <summary>One valid row of an import, numbered: exactly one of its values is set, the one its import's kind names.</summary>
[GenerateSerializer, Immutable]
public sealed record ImportRow(
    [property: Id(0)] int Row,
    [property: Id(1)] Product? Product = null,
    [property: Id(2)] DistributorProfile? Distributor = null,
    [property: Id(3)] CustomerProfile? Customer = null,
    [property: Id(4)] ImportedStock? Stock = null);

/// <summary>A SAP import (its id is its <c>batchId</c>) and how far it got. <see cref="Total"/> counts the rows received
/// so far (all of them once completed) and <see cref="Applied"/> + <see cref="Unchanged"/> + <see cref="RejectedCount"/>
/// the rows done; <see cref="Rejected"/> lists the first <see cref="MaxListed"/> rejected rows.</summary>
[GenerateSerializer, Immutable]
public sealed record ImportView(
    [property: Id(0)] string ImportId,
    [property: Id(1)] ImportKind Kind,
    [property: Id(2)] string Format,
    [property: Id(3)] ImportStatus Status,
    [property: Id(4)] int Total,
    [property: Id(5)] int Applied,
    [property: Id(6)] int Unchanged,
    [property: Id(7)] int RejectedCount,
    [property: Id(8)] IReadOnlyList<ImportRejection> Rejected,
    [property: Id(9)] DateTimeOffset ReceivedAt,
    [property: Id(10)] DateTimeOffset? CompletedAt,
    [property: Id(11)] string? Failure)
{
    /// <summary>Rejected rows listed in the view; the rest are counted only.</summary>
    public const int MaxListed = 1000;
}

/// <summary>One SAP import (key: its <c>batchId</c>). The API streams the request's rows to it in chunks, in order; it
/// applies each chunk through the grains that own the data (one call per distributor for stock) and saves its progress
/// after each, so a GET shows it while the upload runs and a batch sent again carries on after the last chunk saved
/// (rows before it are not applied or counted twice; a completed batch is not read again).</summary>
public interface IImportGrain : IGrainWithStringKey
{
    /// <summary>Starts the import, or finds it: null when this batch id was used for another kind of import.</summary>
    Task<ImportView?> BeginAsync(ImportKind kind, string format);

    /// <summary>Applies a chunk of rows numbered from <paramref name="firstRow"/> (valid rows and the rows refused at the
    /// door, together <paramref name="count"/> rows); rows already done are skipped.</summary>
    Task<ImportView> ApplyAsync(int firstRow, int count, IReadOnlyList<ImportRow> rows, IReadOnlyList<ImportRejection> refused);

    /// <summary>Every row arrived (<paramref name="total"/> of them): completed.</summary>
    Task<ImportView> CompleteAsync(int total);

    /// <summary>The request broke off after the rows applied so far.</summary>
    Task<ImportView> FailAsync(string reason);

    [AlwaysInterleave] Task<ImportView?> GetAsync();
}

/// <summary>What one stock level did at its distributor.</summary>
public enum StockLevelOutcome
{
    Applied,
    Unchanged,
    /// <summary>On hand would fall below what is reserved: not applied.</summary>
    BelowReserved,
}
