using System.ComponentModel.DataAnnotations;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Routing.Api.Auth;
using Routing.Api.Infrastructure;
using Routing.Contracts.Erp;
using Routing.Grains.Erp;
using Routing.Grains.History;

namespace Routing.Api.Erp;

/// <summary>SAP's on hand of one SKU at one distributor.</summary>
public sealed record SnapshotRowDto(
    [property: Required, StringLength(Limits.MaxIdLength), RegularExpression(Limits.IdPattern)] string DistributorId,
    [property: Required, StringLength(Limits.MaxIdLength)] string Sku,
    [property: Range(0, Limits.MaxStockUnits)] int OnHand);

/// <summary>A stock snapshot from SAP: its on hand as of <see cref="AsOf"/>, for as many rows as it has.</summary>
public sealed record StockSnapshotRequest(
    [property: Required, StringLength(Limits.MaxIdLength), RegularExpression(Limits.IdPattern)] string SnapshotId,
    DateTimeOffset AsOf,
    [property: Range(0, Limits.MaxStockUnits)] int Tolerance,
    [property: Required, MinLength(1), MaxLength(Limits.MaxSnapshotRows), NoNullItems] IReadOnlyList<SnapshotRowDto> Rows);

/// <summary>Reconciliation, SAP wins (对账): a snapshot of SAP's on hand as of a time is compared, per distributor and
/// SKU, with Routing's on hand at that time (from the ledger, so the movements since are kept); the difference is posted
/// to today's on hand (ledger ErpAdjust) with reservations kept, never below reserved. Idempotent by snapshotId.</summary>
public static class ReconciliationEndpoints
{
    /// <summary>A snapshot of 100,000 rows is about 6 MB of JSON: larger than any other request.</summary>
    private const long MaxSnapshotBytes = 32 * 1024 * 1024;

    public static void MapReconciliationEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/erp/stock-snapshots").WithTags("ERP").RequireAuthorization(Roles.Payments);

        group.MapPost("/", async Task<Results<Accepted<SnapshotView>, ProblemHttpResult>> (StockSnapshotRequest body, IGrainFactory grains, TimeProvider clock) =>
        {
            if (body.AsOf > clock.GetUtcNow()) return Problems.Unprocessable("asOfInFuture", "asOf is when SAP counted: not in the future");
            var seen = new HashSet<(string, string)>();
            for (var i = 0; i < body.Rows.Count; i++)
                if (!seen.Add((body.Rows[i].DistributorId, body.Rows[i].Sku)))
                    return Problems.Unprocessable("duplicateRow", $"row {i + 1}: {body.Rows[i].DistributorId} {body.Rows[i].Sku} is sent more than once");
            var rows = body.Rows.Select(r => new SnapshotRow(r.DistributorId, r.Sku, r.OnHand)).ToList();
            var view = await grains.GetGrain<IStockSnapshotGrain>(body.SnapshotId).StartAsync(body.AsOf, body.Tolerance, rows, Fingerprint(body));
            return view is null
                ? Problems.Unprocessable("snapshotIdReused", $"snapshot {body.SnapshotId} was sent before with other rows, time or tolerance")
                : TypedResults.Accepted($"/api/erp/stock-snapshots/{body.SnapshotId}", view);
        })
            .WithMetadata(new RequestSizeLimitAttribute(MaxSnapshotBytes))
            .WithName("reconcileStockSnapshot").WithSummary("Reconcile a SAP stock snapshot (SAP wins): accepted at once, reconciled in the background")
            .ProducesValidationProblem().ProducesProblem(403).ProducesProblemCodes(422, "asOfInFuture", "duplicateRow", "snapshotIdReused");

        group.MapGet("/", async Task<Results<Ok<List<SnapshotView>>, ProblemHttpResult>> (string? status, int? page, int? pageSize, HttpContext http,
            IOperationStore store) =>
        {
            if (Paging.Check(page, pageSize) is { } badPaging) return badPaging;
            if (!Orders.OrderEndpoints.TryParseStatus<SnapshotStatus>(status, out var statusFilter, out var badStatus)) return badStatus;
            var found = await store.FindAsync(new OperationSearch(OperationKinds.Snapshot, Status: statusFilter?.ToString(), Page: page ?? 1,
                PageSize: pageSize ?? Paging.DefaultPageSize));
            Paging.AddHeaders(http, found.Total, found.Page, found.PageSize);
            return TypedResults.Ok(found.Items.Select(StockSnapshotGrain.ViewOf).ToList());
        })
            .WithName("listStockSnapshots").WithSummary("SAP stock snapshots and their reconciliation, newest first (?status=Running|Completed)")
            .Paged().ProducesProblem(403).ProducesProblemCodes(400, "badStatus");

        group.MapGet("/{id}", async Task<Results<Ok<SnapshotView>, ProblemHttpResult>> (string id, IGrainFactory grains) =>
            await grains.GetGrain<IStockSnapshotGrain>(id).GetAsync() is { } view ? TypedResults.Ok(view) : Problems.NotFound($"snapshot '{id}' does not exist"))
            .WithName("getStockSnapshot").WithSummary("A stock snapshot's reconciliation: progress, matched rows and every difference")
            .ProducesProblem(403).ProducesProblem(404);
    }

    /// <summary>What makes the same snapshot id the same snapshot: its time, tolerance and rows (hashed: rows are many).</summary>
    private static string Fingerprint(StockSnapshotRequest body)
    {
        var text = new StringBuilder(body.AsOf.ToUniversalTime().ToString("O", CultureInfo.InvariantCulture)).Append('|').Append(body.Tolerance);
        foreach (var r in body.Rows) text.Append(CultureInfo.InvariantCulture, $"|{r.DistributorId}:{r.Sku}:{r.OnHand}");
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())));
    }
}
