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

/// <summary>Order units of a campaign. The SKU is the campaign's; the customer is the caller.</summary>
public sealed record CampaignOrderRequest([property: Range(1, Limits.MaxOrderQuantity)] int Quantity);

/// <summary>One line of a regular (non-campaign) order; lines with the same group stay together under ByLineGroup.</summary>
public sealed record OrderLineDto(
    [property: Required, StringLength(Limits.MaxIdLength)] string Sku,
    [property: Range(1, Limits.MaxOrderQuantity)] int Quantity,
    [property: StringLength(Limits.MaxIdLength)] string? Group);

/// <summary>A regular order (订单下拉: a retailer or grower ordering outside a campaign), routed by the default policy.</summary>
public sealed record OrderRequest(
    [property: Required, MinLength(1), MaxLength(Limits.MaxOrderLines), NoNullItems] IReadOnlyList<OrderLineDto> Lines);

/// <summary>Route an order again, optionally accepting one of its suggested substitutes.</summary>
public sealed record RerouteRequest([property: StringLength(Limits.MaxIdLength)] string? SubstituteSku);

/// <summary>Why an order is cancelled.</summary>
public sealed record CancelRequest([property: StringLength(500)] string? Reason);

public static class OrderEndpoints
{
    public const string IdempotencyHeader = "Idempotency-Key";

    public static void MapOrderEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/campaigns/{campaignId}/orders", (string campaignId, CampaignOrderRequest body,
                [FromHeader(Name = IdempotencyHeader)] string? idempotencyKey, HttpContext http, IGrainFactory grains) =>
                PlaceAsync(http, grains, idempotencyKey, customerId => new PlaceOrder(customerId, campaignId, [new OrderLine("", body.Quantity)], idempotencyKey!)))
            .WithTags("Orders")
            .RequireAuthorization(Roles.Customer);

        var group = app.MapGroup("/api/orders").WithTags("Orders");

        group.MapPost("/", (OrderRequest body, [FromHeader(Name = IdempotencyHeader)] string? idempotencyKey, HttpContext http, IGrainFactory grains) =>
                PlaceAsync(http, grains, idempotencyKey, customerId =>
                    new PlaceOrder(customerId, null, body.Lines.Select(l => new OrderLine(l.Sku, l.Quantity, l.Group)).ToList(), idempotencyKey!)))
            .RequireAuthorization(Roles.Customer);

        group.MapGet("/{id}", async Task<Results<Ok<OrderView>, ProblemHttpResult>> (string id, HttpContext http, IGrainFactory grains) =>
            await VisibleOrderAsync(id, http, grains) is { } order ? TypedResults.Ok(order) : Problems.NotFound($"order '{id}' does not exist"));

        // The order history, newest first, one page at a time (X-Total-Count, X-Page, X-Page-Size headers). Ops search
        // everything; a customer only its own orders and a distributor only those allocated to it, whatever the query says.
        group.MapGet("/", async Task<Results<Ok<List<OrderView>>, ProblemHttpResult>> (string? campaignId, string? customerId,
            string? distributorId, string? status, DateTimeOffset? from, DateTimeOffset? to, int? page, int? pageSize,
            HttpContext http, IRoutingHistory history) =>
        {
            var caller = http.Caller();
            if (Paging.Check(page, pageSize) is { } badPaging) return badPaging;
            OrderStatus? statusFilter = null;
            if (status is not null)
            {
                if (!Enum.TryParse<OrderStatus>(status, ignoreCase: true, out var parsed) || !Enum.IsDefined(parsed))
                    return Problems.BadRequest("badStatus", $"status must be one of {string.Join(", ", Enum.GetNames<OrderStatus>())}");
                statusFilter = parsed;
            }
            if (from is not null && to is not null && from > to) return Problems.BadRequest("badRange", "from must not be after to");
            var search = new OrderSearch(campaignId, customerId, distributorId, statusFilter, from, to, page ?? 1, pageSize ?? Paging.DefaultPageSize);
            search = caller.Role switch
            {
                Roles.Ops => search,
                Roles.Customer => search with { CustomerId = caller.CustomerId },
                Roles.Distributor => search with { DistributorId = caller.DistributorId },
                _ => search with { CustomerId = "", DistributorId = "" },
            };
            var found = await history.FindOrdersAsync(search);
            Paging.AddHeaders(http, found.Total, found.Page, found.PageSize);
            return TypedResults.Ok(found.Items.Select(o => VisibleTo(caller, o)).ToList());
        });

        group.MapPost("/{id}/cancel", async Task<Results<Ok<OrderView>, ProblemHttpResult>> (string id, CancelRequest? body, HttpContext http, IGrainFactory grains) =>
        {
            if (await VisibleOrderAsync(id, http, grains) is not { } order) return Problems.NotFound($"order '{id}' does not exist");
            var caller = http.Caller();
            if (!caller.IsOps && !caller.CanSeeCustomer(order.CustomerId)) return Problems.Forbidden("only ops or the ordering customer may cancel an order");
            if (!caller.IsOps && order.Shares.Any(s => s.Status == OrderStatus.Confirmed))
                return Problems.Conflict("notAllowed", "an order a distributor has confirmed (all of it or its share) can only be cancelled by operations");
            return ToResult(await grains.GetGrain<IOrderGrain>(id).CancelAsync(body?.Reason ?? $"cancelled by {caller.Subject}"));
        });

        // A customer accepts a suggested substitute; ops may also route a backordered or reviewed order again once stock is in.
        group.MapPost("/{id}/reroute", async Task<Results<Ok<OrderView>, ProblemHttpResult>> (string id, RerouteRequest? body, HttpContext http, IGrainFactory grains) =>
        {
            if (await VisibleOrderAsync(id, http, grains) is not { } order) return Problems.NotFound($"order '{id}' does not exist");
            var caller = http.Caller();
            if (!caller.IsOps && !caller.CanSeeCustomer(order.CustomerId)) return Problems.Forbidden("only ops or the ordering customer may route an order again");
            return ToResult(await grains.GetGrain<IOrderGrain>(id).RerouteAsync(body?.SubstituteSku));
        });

        MapFulfilment(group, "confirm", (g, share) => g.ConfirmAsync(share));
        MapFulfilment(group, "ship", (g, share) => g.ShipAsync(share));
        MapFulfilment(group, "complete", (g, share) => g.CompleteAsync(share));
    }

    /// <summary>Fulfilment is per distributor share: a distributor takes a step for its own share only (the token's
    /// distributor, never the request's); ops take it for every share at once, or for one with <c>?distributorId=</c>.</summary>
    private static void MapFulfilment(RouteGroupBuilder group, string step, Func<IOrderGrain, string?, Task<TransitionResult>> action) =>
        group.MapPost($"/{{id}}/{step}", async Task<Results<Ok<OrderView>, ProblemHttpResult>> (string id, string? distributorId, HttpContext http, IGrainFactory grains) =>
        {
            if (await VisibleOrderAsync(id, http, grains) is not { } order) return Problems.NotFound($"order '{id}' does not exist");
            var caller = http.Caller();
            string? share; // null: every share
            if (caller.IsOps) share = distributorId;
            else if (caller is { Role: Roles.Distributor, DistributorId: { } own })
            {
                // A distributor that can see the order has a share of it.
                if (distributorId is not null && distributorId != own) return Problems.Forbidden($"a distributor may {step} only its own share of an order");
                share = own;
            }
            else return Problems.Forbidden($"only ops or an allocated distributor may {step} an order");
            var result = await action(grains.GetGrain<IOrderGrain>(id), share);
            return ToResult(result.Order is { } changed ? result with { Order = VisibleTo(caller, changed) } : result);
        });

    private static async Task<Results<Created<OrderView>, ProblemHttpResult>> PlaceAsync(
        HttpContext http, IGrainFactory grains, string? idempotencyKey, Func<string, PlaceOrder> command)
    {
        if (string.IsNullOrWhiteSpace(idempotencyKey))
            return Problems.BadRequest("idempotencyKeyRequired", $"the {IdempotencyHeader} header is required");
        if (idempotencyKey.Length > Limits.MaxIdempotencyKeyLength)
            return Problems.BadRequest("idempotencyKeyTooLong", $"the {IdempotencyHeader} header is at most {Limits.MaxIdempotencyKeyLength} characters");

        var customerId = http.Caller().CustomerId!;
        var orderId = OrderIds.For(customerId, idempotencyKey);
        var result = await grains.GetGrain<IOrderGrain>(orderId).PlaceAsync(command(customerId));
        if (result.Outcome == PlaceOutcome.Replayed) http.Response.Headers["Idempotent-Replayed"] = "true";
        return result.Outcome switch
        {
            // The routing explanation (kilobytes for many candidates) is left out of the answer to every order of a flash
            // sale; GET /api/orders/{id} has it.
            PlaceOutcome.Created or PlaceOutcome.Replayed => TypedResults.Created($"/api/orders/{orderId}", result.Order! with { Explanation = null }),
            PlaceOutcome.IdempotencyConflict => Problems.Unprocessable("idempotencyKeyReused", result.Detail!),
            PlaceOutcome.CustomerNotFound => Problems.NotFound(result.Detail!),
            PlaceOutcome.CampaignNotFound => Problems.NotFound(result.Detail!),
            PlaceOutcome.CampaignNotOpen => Problems.Conflict("campaignNotOpen", result.Detail!),
            PlaceOutcome.SoldOut => Problems.Conflict("soldOut", result.Detail!),
            PlaceOutcome.RegionNotEligible => Problems.Unprocessable("regionNotEligible", result.Detail!),
            PlaceOutcome.LimitExceeded => Problems.Unprocessable("limitExceeded", result.Detail!),
            _ => Problems.Unprocessable("unknownProduct", result.Detail!),
        };
    }

    /// <summary>A customer's orders, newest first.</summary>
    public static async Task<List<OrderView>> CustomerOrdersAsync(IGrainFactory grains, string customerId)
    {
        var ids = await grains.GetGrain<ICustomerGrain>(customerId).GetOrderIdsAsync();
        var orders = await Task.WhenAll(ids.Select(o => grains.GetGrain<IOrderGrain>(o).GetAsync()));
        return orders.OfType<OrderView>().OrderByDescending(o => o.PlacedAt).ToList();
    }

    /// <summary>The order if it exists and the caller may see it; otherwise null, so its existence does not leak.
    /// A distributor sees only its own allocations, and not the explanation (it ranks other distributors).</summary>
    private static async Task<OrderView?> VisibleOrderAsync(string id, HttpContext http, IGrainFactory grains)
    {
        var caller = http.Caller();
        if (await grains.GetGrain<IOrderGrain>(id).GetAsync() is not { } order || !caller.CanSeeOrder(order)) return null;
        return VisibleTo(caller, order);
    }

    private static OrderView VisibleTo(Caller caller, OrderView order) =>
        caller.Role == Roles.Distributor
            ? order with
            {
                Allocations = order.Allocations.Where(a => a.DistributorId == caller.DistributorId).ToList(),
                Shares = order.Shares.Where(s => s.DistributorId == caller.DistributorId).ToList(),
                Explanation = null,
            }
            : order;

    private static Results<Ok<OrderView>, ProblemHttpResult> ToResult(TransitionResult result) => result.Outcome switch
    {
        TransitionOutcome.Done => TypedResults.Ok(result.Order!),
        TransitionOutcome.NotFound => Problems.NotFound("order does not exist"),
        _ => Problems.Conflict("notAllowed", result.Detail!),
    };
}
