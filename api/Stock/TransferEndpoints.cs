using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Routing.Api.Auth;
using Routing.Api.Infrastructure;
using Routing.Api.Orders;
using Routing.Contracts.Catalog;
using Routing.Contracts.Stock;
using Routing.Grains.History;

namespace Routing.Api.Stock;

/// <summary>A transfer of one SKU's units from one distributor to another.</summary>
public sealed record TransferRequest(
    [property: Required, StringLength(Limits.MaxIdLength), RegularExpression(Limits.IdPattern)] string FromDistributorId,
    [property: Required, StringLength(Limits.MaxIdLength), RegularExpression(Limits.IdPattern)] string ToDistributorId,
    [property: Required, StringLength(Limits.MaxIdLength)] string Sku,
    [property: Range(1, Limits.MaxStockUnits)] int Quantity);

/// <summary>How many units of a transfer arrived.</summary>
public sealed record TransferReceipt([property: Range(0, Limits.MaxStockUnits)] int ReceivedQuantity);

/// <summary>Transfers between distributors (调拨): requested by ops with the units held at the source at once, dispatched
/// by the source (off its on hand, incoming at the destination), received by the destination (short: Discrepancy and a
/// TransferDiscrepancy alert), cancelled by ops before dispatch. Each side sees its own, live (<c>transferChanged</c>).</summary>
public static class TransferEndpoints
{
    public static void MapTransferEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/transfers").WithTags("Transfers");

        group.MapPost("/", async Task<Results<Created<TransferView>, ProblemHttpResult>> (TransferRequest body,
            [FromHeader(Name = OrderEndpoints.IdempotencyHeader)] string? idempotencyKey, HttpContext http, IGrainFactory grains) =>
        {
            if (OrderEndpoints.CheckIdempotencyKey(idempotencyKey) is { } badKey) return badKey;
            var caller = http.Caller();
            if (!caller.IsOps) return Problems.Forbidden("only ops request transfers");
            if (body.FromDistributorId == body.ToDistributorId)
                return Problems.Unprocessable("sameDistributor", "a transfer goes from one distributor to another");
            if (await grains.GetGrain<IProductCatalogGrain>(0).GetAsync(body.Sku) is null)
                return Problems.Unprocessable("unknownProduct", $"product '{body.Sku}' does not exist");
            var id = OperationIds.Transfer(idempotencyKey!);
            var result = await grains.GetGrain<ITransferGrain>(id).RequestAsync(body.FromDistributorId, body.ToDistributorId, body.Sku, body.Quantity, caller.Subject);
            if (result.Outcome == TransferOutcome.Replayed) http.Response.Headers["Idempotent-Replayed"] = "true";
            return result.Outcome switch
            {
                TransferOutcome.Done or TransferOutcome.Replayed => TypedResults.Created($"/api/transfers/{id}", result.Transfer!),
                TransferOutcome.IdempotencyConflict => Problems.Unprocessable("idempotencyKeyReused", result.Detail!),
                TransferOutcome.DistributorNotFound => Problems.NotFound(result.Detail!),
                TransferOutcome.InsufficientStock => Problems.Conflict("insufficientStock", result.Detail!),
                _ => throw new InvalidOperationException($"a transfer request answered {result.Outcome}"),
            };
        })
            .WithName("requestTransfer").WithSummary("Request a transfer between distributors: the units are held at the source at once")
            .ProducesValidationProblem().ProducesProblemCodes(400, "idempotencyKeyRequired", "idempotencyKeyTooLong", "controlCharacters")
            .ProducesProblem(403).ProducesProblem(404).ProducesProblemCodes(409, "insufficientStock")
            .ProducesProblemCodes(422, "idempotencyKeyReused", "sameDistributor", "unknownProduct");

        group.MapGet("/", async Task<Results<Ok<List<TransferView>>, ProblemHttpResult>> (string? distributorId, string? status, int? page, int? pageSize,
            HttpContext http, IOperationStore store) =>
        {
            var caller = http.Caller();
            if (caller.ShutOutOfStockOperations || caller.IsCustomer) return Problems.Forbidden($"a {caller.Role} token has no access to transfers");
            if (Paging.Check(page, pageSize) is { } badPaging) return badPaging;
            if (!OrderEndpoints.TryParseStatus<TransferStatus>(status, out var statusFilter, out var badStatus)) return badStatus;
            var search = new OperationSearch(OperationKinds.Transfer, DistributorId: distributorId, Status: statusFilter?.ToString(),
                Page: page ?? 1, PageSize: pageSize ?? Paging.DefaultPageSize);
            // A distributor sees its own, whichever distributor it asks for.
            var found = await store.FindAsync(caller.Scope(search));
            Paging.AddHeaders(http, found.Total, found.Page, found.PageSize);
            return TypedResults.Ok(found.Items.Select(OperationJson.Read<TransferView>).ToList());
        })
            .WithName("listTransfers").WithSummary("Transfers, newest first: ?distributorId= (either side; a distributor sees its own) and ?status=")
            .Paged().ProducesProblem(403).ProducesProblemCodes(400, "badStatus");

        group.MapGet("/{id}", async Task<Results<Ok<TransferView>, ProblemHttpResult>> (string id, HttpContext http, IGrainFactory grains) =>
            await VisibleAsync(id, http, grains) is { } transfer ? TypedResults.Ok(transfer) : Problems.NotFound($"transfer '{id}' does not exist"))
            .WithName("getTransfer").WithSummary("Get a transfer").ProducesProblem(404);

        group.MapPost("/{id}/dispatch", async Task<Results<Ok<TransferView>, ProblemHttpResult>> (string id, HttpContext http, IGrainFactory grains) =>
        {
            if (await VisibleAsync(id, http, grains) is not { } transfer) return Problems.NotFound($"transfer '{id}' does not exist");
            if (!http.Caller().CanDispatch(transfer)) return Problems.Forbidden("a transfer is dispatched by ops or its source");
            return ToResult(await grains.GetGrain<ITransferGrain>(id).DispatchAsync());
        })
            .WithName("dispatchTransfer").WithSummary("Dispatch a transfer: off the source's on hand, incoming at the destination")
            .ProducesProblem(403).ProducesProblem(404).ProducesProblemCodes(409, "notAllowed");

        group.MapPost("/{id}/receive", async Task<Results<Ok<TransferView>, ProblemHttpResult>> (string id, TransferReceipt body, HttpContext http, IGrainFactory grains) =>
        {
            if (await VisibleAsync(id, http, grains) is not { } transfer) return Problems.NotFound($"transfer '{id}' does not exist");
            if (!http.Caller().CanReceive(transfer)) return Problems.Forbidden("a transfer is received by ops or its destination");
            return ToResult(await grains.GetGrain<ITransferGrain>(id).ReceiveAsync(body.ReceivedQuantity));
        })
            .WithName("receiveTransfer").WithSummary("Receive a transfer at its destination; fewer than dispatched is a Discrepancy")
            .ProducesValidationProblem().ProducesProblem(403).ProducesProblem(404).ProducesProblemCodes(409, "notAllowed")
            .ProducesProblemCodes(422, "receivedExceedsDispatched");

        group.MapPost("/{id}/cancel", async Task<Results<Ok<TransferView>, ProblemHttpResult>> (string id, HttpContext http, IGrainFactory grains) =>
        {
            if (await VisibleAsync(id, http, grains) is null) return Problems.NotFound($"transfer '{id}' does not exist");
            if (!http.Caller().IsOps) return Problems.Forbidden("only ops cancel transfers");
            return ToResult(await grains.GetGrain<ITransferGrain>(id).CancelAsync());
        })
            .WithName("cancelTransfer").WithSummary("Cancel a transfer not yet dispatched: the held units go back to the source")
            .ProducesProblem(403).ProducesProblem(404).ProducesProblemCodes(409, "notAllowed");
    }

    /// <summary>The transfer, if it exists and the caller may see it; otherwise null, so its existence does not leak.</summary>
    private static async Task<TransferView?> VisibleAsync(string id, HttpContext http, IGrainFactory grains) =>
        await grains.GetGrain<ITransferGrain>(id).GetAsync() is { } transfer && http.Caller().CanSee(transfer) ? transfer : null;

    private static Results<Ok<TransferView>, ProblemHttpResult> ToResult(TransferResult result) => result.Outcome switch
    {
        TransferOutcome.Done => TypedResults.Ok(result.Transfer!),
        TransferOutcome.NotFound => Problems.NotFound("transfer does not exist"),
        TransferOutcome.NotAllowed => Problems.Conflict("notAllowed", result.Detail!),
        TransferOutcome.ReceivedExceedsDispatched => Problems.Unprocessable("receivedExceedsDispatched", result.Detail!),
        _ => throw new InvalidOperationException($"a transfer step answered {result.Outcome}"),
    };
}
