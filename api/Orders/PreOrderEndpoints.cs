using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Routing.Api.Auth;
using Routing.Api.Infrastructure;
using Routing.Contracts.Customers;
using Routing.Contracts.Orders;
using Routing.Domain;
using Routing.Grains.History;

namespace Routing.Api.Orders;

/// <summary>A pre-order (预下单) for a customer: its lines are routed and reserved at once and held for
/// <see cref="HoldSeconds"/> for the customer to confirm.</summary>
public sealed record PreOrderRequest(
    [property: Required, StringLength(Limits.MaxIdLength), RegularExpression(Limits.IdPattern)] string CustomerId,
    [property: Required, MinLength(1), MaxLength(Limits.MaxOrderLines), NoNullItems] IReadOnlyList<OrderLineDto> Lines,
    [property: Range(1, Limits.MaxHoldSeconds)] int HoldSeconds);

/// <summary>Pre-orders: taken by a sales manager for its own customers (or by ops) with an <c>Idempotency-Key</c>,
/// reserved at the routed distributors until <c>expiresAt</c>; confirmed (by that sales manager, the customer or ops)
/// they become the same order, Allocated with the same reservations; cancelled, or unconfirmed at <c>expiresAt</c>
/// (<c>preorderExpired</c>), their reservations are released. A pre-order that cannot be reserved in full is Rejected and
/// holds nothing.</summary>
public static class PreOrderEndpoints
{
    public static void MapPreOrderEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/preorders").WithTags("Pre-orders");

        group.MapPost("/", async Task<Results<Created<OrderView>, ProblemHttpResult>> (PreOrderRequest body,
            [FromHeader(Name = OrderEndpoints.IdempotencyHeader)] string? idempotencyKey, HttpContext http, IGrainFactory grains) =>
        {
            if (OrderEndpoints.CheckIdempotencyKey(idempotencyKey) is { } badKey) return badKey;
            var caller = http.Caller();
            if (!caller.MayTakePreOrders) return Problems.Forbidden("only sales managers and ops take pre-orders");
            // A customer the caller may not take pre-orders for is answered like one that does not exist.
            if (await grains.GetGrain<ICustomerGrain>(body.CustomerId).GetAsync() is not { } customer || !caller.CanTakePreOrderFor(customer))
                return Problems.NotFound($"customer '{body.CustomerId}' does not exist");
            return await OrderEndpoints.PlaceForAsync(http, grains, idempotencyKey, customer.Id, customerId =>
                new PlaceOrder(customerId, null, [.. body.Lines.Select(l => new OrderLine(l.Sku, l.Quantity, l.Group))], idempotencyKey!)
                {
                    PreOrderHoldSeconds = body.HoldSeconds,
                });
        })
            .LimitedAsPlacement()
            .WithName("createPreOrder").WithSummary("Take a pre-order for a customer: routed and reserved now, held until expiresAt for confirmation")
            .ProducesValidationProblem().ProducesProblemCodes(400, "idempotencyKeyRequired", "idempotencyKeyTooLong", "controlCharacters")
            .ProducesProblem(403).ProducesProblem(404).ProducesProblemCodes(422, "idempotencyKeyReused", "unknownProduct")
            .ProducesProblemCodes(429, "rateLimited");

        group.MapPost("/{id}/confirm", async Task<Results<Ok<OrderView>, ProblemHttpResult>> (string id, HttpContext http, IGrainFactory grains) =>
        {
            if (await VisiblePreOrderAsync(id, http, grains) is not { } order) return Problems.NotFound($"pre-order '{id}' does not exist");
            var caller = http.Caller();
            if (!caller.CanChange(order)) return Problems.Forbidden("only its sales manager, its customer or ops may confirm a pre-order");
            return OrderEndpoints.ToResult(caller, await grains.GetGrain<IOrderGrain>(id).ConfirmPreOrderAsync());
        })
            .WithName("confirmPreOrder").WithSummary("Confirm a pre-order: the same order, Allocated with the same reservations")
            .ProducesProblem(403).ProducesProblem(404).ProducesProblemCodes(409, "notAllowed");

        group.MapPost("/{id}/cancel", async Task<Results<Ok<OrderView>, ProblemHttpResult>> (string id, CancelRequest? body, HttpContext http, IGrainFactory grains) =>
        {
            if (await VisiblePreOrderAsync(id, http, grains) is not { } order) return Problems.NotFound($"pre-order '{id}' does not exist");
            var caller = http.Caller();
            if (!caller.CanChange(order)) return Problems.Forbidden("only its sales manager, its customer or ops may cancel a pre-order");
            if (order.Status is not (OrderStatus.PreOrder or OrderStatus.Cancelled))
                return Problems.Conflict("notAllowed", $"only a pre-order not yet confirmed is cancelled here; this one is {order.Status} (cancel it as an order)");
            return OrderEndpoints.ToResult(caller, await grains.GetGrain<IOrderGrain>(id).CancelAsync(
                body?.Reason ?? $"cancelled by {caller.Subject}", caller.IsOps, caller.CancelReasonCode));
        })
            .WithName("cancelPreOrder").WithSummary("Cancel a pre-order not yet confirmed, releasing its reservations")
            .ProducesValidationProblem().ProducesProblem(403).ProducesProblem(404).ProducesProblemCodes(409, "notAllowed");

        group.MapGet("/", async Task<Results<Ok<List<OrderView>>, ProblemHttpResult>> (string? status, int? page, int? pageSize, HttpContext http, IRoutingHistory history) =>
        {
            var caller = http.Caller();
            if (Paging.Check(page, pageSize) is { } badPaging) return badPaging;
            if (!OrderEndpoints.TryParseStatus<OrderStatus>(status, out var statusFilter, out var badStatus)) return badStatus;
            var found = await history.FindOrdersAsync(caller.Scope(new OrderSearch(Status: statusFilter, PreOrdersOnly: true,
                Page: page ?? 1, PageSize: pageSize ?? Paging.DefaultPageSize)));
            Paging.AddHeaders(http, found.Total, found.Page, found.PageSize);
            return TypedResults.Ok(found.Items.Select(caller.Project).ToList());
        })
            .WithName("listPreOrders").WithSummary("Pre-orders (whatever became of them; ?status=PreOrder for those awaiting confirmation), newest first")
            .Paged().ProducesProblemCodes(400, "badStatus");
    }

    /// <summary>The order, if it was taken as a pre-order and the caller may see it.</summary>
    private static async Task<OrderView?> VisiblePreOrderAsync(string id, HttpContext http, IGrainFactory grains) =>
        await OrderEndpoints.VisibleOrderAsync(id, http, grains) is { PreOrder: true } order ? order : null;
}
