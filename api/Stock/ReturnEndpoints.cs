using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Routing.Api.Auth;
using Routing.Api.Infrastructure;
using Routing.Api.Orders;
using Routing.Contracts.Orders;
using Routing.Contracts.Stock;
using Routing.Grains.History;

namespace Routing.Api.Stock;

/// <summary>Units of one SKU to send back.</summary>
public sealed record ReturnLineDto(
    [property: Required, StringLength(Limits.MaxIdLength)] string Sku,
    [property: Range(1, Limits.MaxOrderQuantity)] int Quantity);

/// <summary>A return of part of a shipped order; with <see cref="Exchange"/>, a replacement is routed for what comes
/// back. <see cref="DistributorId"/> is needed only when the lines were shipped by more than one distributor.</summary>
public sealed record ReturnRequest(
    [property: Required, MinLength(1), MaxLength(Limits.MaxOrderLines), NoNullItems] IReadOnlyList<ReturnLineDto> Lines,
    [property: Required, StringLength(Limits.MaxReasonLength, MinimumLength = 1)] string Reason,
    bool Exchange = false,
    [property: StringLength(Limits.MaxIdLength)] string? DistributorId = null);

/// <summary>What came back of one SKU.</summary>
public sealed record ReceivedLineDto(
    [property: Required, StringLength(Limits.MaxIdLength)] string Sku,
    [property: Range(0, Limits.MaxOrderQuantity)] int Resellable,
    [property: Range(0, Limits.MaxOrderQuantity)] int Damaged);

public sealed record ReturnReceipt(
    [property: Required, MinLength(1), MaxLength(Limits.MaxOrderLines), NoNullItems] IReadOnlyList<ReceivedLineDto> Lines);

/// <summary>Returns and exchanges (退换货): asked for by the customer (or ops) against a shipped or completed order, no
/// more than shipped less already returned; received by the order's distributor (or ops): resellable units back on hand
/// (ledger Return), damaged written off (ledger WriteOff); an exchange routes a replacement order for what came back.</summary>
public static class ReturnEndpoints
{
    public static void MapReturnEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/orders/{id}/returns", async Task<Results<Created<ReturnView>, ProblemHttpResult>> (string id, ReturnRequest body,
            [FromHeader(Name = OrderEndpoints.IdempotencyHeader)] string? idempotencyKey, HttpContext http, IGrainFactory grains) =>
        {
            if (OrderEndpoints.CheckIdempotencyKey(idempotencyKey) is { } badKey) return badKey;
            var caller = http.Caller();
            if (caller.ShutOutOfStockOperations || caller.IsDistributor) return Problems.Forbidden("a return is asked for by its order's customer or ops");
            if (await grains.GetGrain<IOrderGrain>(id).GetAsync() is not { } order || !caller.CanRequestReturn(order))
                return Problems.NotFound($"order '{id}' does not exist");
            if (StockRequests.DuplicateSku(body.Lines.Select(l => l.Sku)) is { } twice) return twice;
            var returnId = OperationIds.Return(id, idempotencyKey!);
            var result = await grains.GetGrain<IOrderReturnsGrain>(id).RequestAsync(returnId,
                [.. body.Lines.Select(l => new ReturnLine(l.Sku, l.Quantity))], body.Reason, body.Exchange, body.DistributorId);
            if (result.Outcome == ReturnOutcome.Replayed) http.Response.Headers["Idempotent-Replayed"] = "true";
            return result.Outcome switch
            {
                ReturnOutcome.Done or ReturnOutcome.Replayed => TypedResults.Created($"/api/returns/{returnId}", result.Return!),
                ReturnOutcome.NotFound => Problems.NotFound(result.Detail!),
                ReturnOutcome.IdempotencyConflict => Problems.Unprocessable("idempotencyKeyReused", result.Detail!),
                ReturnOutcome.NotShipped => Problems.Conflict("notShipped", result.Detail!),
                ReturnOutcome.ExceedsShipped => Problems.Unprocessable("returnExceedsShipped", result.Detail!),
                ReturnOutcome.SpansDistributors => Problems.Unprocessable("returnSpansDistributors", result.Detail!),
                _ => throw new InvalidOperationException($"a return request answered {result.Outcome}"),
            };
        })
            .WithTags("Returns").WithName("requestReturn").WithSummary("Ask to return part of a shipped or completed order (optionally as an exchange)")
            .ProducesValidationProblem().ProducesProblemCodes(400, "idempotencyKeyRequired", "idempotencyKeyTooLong", "controlCharacters")
            .ProducesProblem(403).ProducesProblem(404).ProducesProblemCodes(409, "notShipped")
            .ProducesProblemCodes(422, "idempotencyKeyReused", "duplicateSku", "returnExceedsShipped", "returnSpansDistributors");

        var group = app.MapGroup("/api/returns").WithTags("Returns");

        group.MapGet("/", async Task<Results<Ok<List<ReturnView>>, ProblemHttpResult>> (string? orderId, string? distributorId, string? status,
            int? page, int? pageSize, HttpContext http, IOperationStore store) =>
        {
            var caller = http.Caller();
            if (caller.ShutOutOfStockOperations) return Problems.Forbidden($"a {caller.Role} token has no access to returns");
            if (Paging.Check(page, pageSize) is { } badPaging) return badPaging;
            if (!OrderEndpoints.TryParseStatus<ReturnStatus>(status, out var statusFilter, out var badStatus)) return badStatus;
            var found = await store.FindAsync(caller.Scope(new OperationSearch(OperationKinds.Return, DistributorId: distributorId, OrderId: orderId,
                Status: statusFilter?.ToString(), Page: page ?? 1, PageSize: pageSize ?? Paging.DefaultPageSize)));
            Paging.AddHeaders(http, found.Total, found.Page, found.PageSize);
            return TypedResults.Ok(found.Items.Select(OperationJson.Read<ReturnView>).ToList());
        })
            .WithName("listReturns").WithSummary("Returns, newest first: ?orderId=, ?distributorId=, ?status= (a customer sees its own, a distributor those coming back to it)")
            .Paged().ProducesProblem(403).ProducesProblemCodes(400, "badStatus");

        group.MapGet("/{id}", async Task<Results<Ok<ReturnView>, ProblemHttpResult>> (string id, HttpContext http, IOperationStore store) =>
            await VisibleAsync(id, http, store) is { } found ? TypedResults.Ok(found) : Problems.NotFound($"return '{id}' does not exist"))
            .WithName("getReturn").WithSummary("Get a return").ProducesProblem(404);

        group.MapPost("/{id}/receive", async Task<Results<Ok<ReturnView>, ProblemHttpResult>> (string id, ReturnReceipt body, HttpContext http,
            IGrainFactory grains, IOperationStore store) =>
        {
            if (await VisibleAsync(id, http, store) is not { } found) return Problems.NotFound($"return '{id}' does not exist");
            if (!http.Caller().CanReceive(found)) return Problems.Forbidden("a return is received by its distributor or ops");
            if (StockRequests.DuplicateSku(body.Lines.Select(l => l.Sku)) is { } twice) return twice;
            var result = await grains.GetGrain<IOrderReturnsGrain>(found.OrderId).ReceiveAsync(id,
                [.. body.Lines.Select(l => new ReceivedLine(l.Sku, l.Resellable, l.Damaged))]);
            return result.Outcome switch
            {
                ReturnOutcome.Done => TypedResults.Ok(result.Return!),
                ReturnOutcome.NotFound => Problems.NotFound(result.Detail!),
                ReturnOutcome.NotAllowed => Problems.Conflict("notAllowed", result.Detail!),
                ReturnOutcome.ExceedsReturn => Problems.Unprocessable("receiptExceedsReturn", result.Detail!),
                _ => throw new InvalidOperationException($"a return receipt answered {result.Outcome}"),
            };
        })
            .WithName("receiveReturn").WithSummary("Receive a return: resellable units back on hand, damaged written off; an exchange routes its replacement")
            .ProducesValidationProblem().ProducesProblem(403).ProducesProblem(404).ProducesProblemCodes(409, "notAllowed")
            .ProducesProblemCodes(422, "duplicateSku", "receiptExceedsReturn");
    }

    /// <summary>The return, if it exists and the caller may see it; otherwise null, so its existence does not leak.</summary>
    private static async Task<ReturnView?> VisibleAsync(string id, HttpContext http, IOperationStore store)
    {
        var caller = http.Caller();
        if (caller.ShutOutOfStockOperations) return null;
        var (_, body) = await store.ReadAsync(OperationKinds.Return, id);
        return body is not null && OperationJson.Read<ReturnView>(body) is var found && caller.CanSee(found) ? found : null;
    }
}
