using System.ComponentModel.DataAnnotations;
using System.Diagnostics.CodeAnalysis;
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
    [property: StringLength(Limits.MaxIdLength)] string? Group = null);

/// <summary>A regular order (订单下拉: a retailer or grower ordering outside a campaign), routed by the default policy.</summary>
public sealed record OrderRequest(
    [property: Required, MinLength(1), MaxLength(Limits.MaxOrderLines), NoNullItems] IReadOnlyList<OrderLineDto> Lines);

/// <summary>Route an order again, optionally accepting one of its suggested substitutes.</summary>
public sealed record RerouteRequest([property: StringLength(Limits.MaxIdLength)] string? SubstituteSku = null);

/// <summary>Why an order is cancelled.</summary>
public sealed record CancelRequest([property: StringLength(Limits.MaxReasonLength)] string? Reason = null);

public static class OrderEndpoints
{
    public const string IdempotencyHeader = "Idempotency-Key";

    public static void MapOrderEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/campaigns/{campaignId}/orders", (string campaignId, CampaignOrderRequest body,
                [FromHeader(Name = IdempotencyHeader)] string? idempotencyKey, HttpContext http, IGrainFactory grains) =>
                PlaceAsync(http, grains, idempotencyKey, customerId => new PlaceOrder(customerId, campaignId, [new OrderLine("", body.Quantity)], idempotencyKey!)))
            .WithTags("Orders")
            .RequireAuthorization(Roles.Customer)
            .LimitedAsPlacement()
            .WithName("placeCampaignOrder").WithSummary("Place an order for units of a campaign as the calling customer")
            .ProducesValidationProblem().ProducesProblemCodes(400, "idempotencyKeyRequired", "idempotencyKeyTooLong", "controlCharacters").ProducesProblem(404)
            .ProducesProblemCodes(409, "campaignNotOpen", "soldOut").ProducesProblemCodes(422, "idempotencyKeyReused", "regionNotEligible", "limitExceeded")
            .ProducesProblemCodes(429, "rateLimited");

        var group = app.MapGroup("/api/orders").WithTags("Orders");

        group.MapPost("/", (OrderRequest body, [FromHeader(Name = IdempotencyHeader)] string? idempotencyKey, HttpContext http, IGrainFactory grains) =>
                PlaceAsync(http, grains, idempotencyKey, customerId =>
                    new PlaceOrder(customerId, null, body.Lines.Select(l => new OrderLine(l.Sku, l.Quantity, l.Group)).ToList(), idempotencyKey!)))
            .RequireAuthorization(Roles.Customer)
            .LimitedAsPlacement()
            .WithName("placeOrder").WithSummary("Place a regular multi-line order as the calling customer")
            .ProducesValidationProblem().ProducesProblemCodes(400, "idempotencyKeyRequired", "idempotencyKeyTooLong", "controlCharacters").ProducesProblem(404)
            .ProducesProblemCodes(422, "idempotencyKeyReused", "unknownProduct")
            .ProducesProblemCodes(429, "rateLimited");

        group.MapGet("/{id}", async Task<Results<Ok<OrderView>, ProblemHttpResult>> (string id, HttpContext http, IGrainFactory grains) =>
            await VisibleOrderAsync(id, http, grains) is { } order ? TypedResults.Ok(order) : Problems.NotFound($"order '{id}' does not exist"))
            .WithName("getOrder").WithSummary("Get an order with its allocations (and, for ops, its routing explanation)").ProducesProblem(404);

        // The order history, newest first, one page at a time (X-Total-Count, X-Page, X-Page-Size headers). Ops search
        // everything; a customer only its own orders, a distributor only those allocated to it and a sales manager only
        // those placed under it, whatever the query says.
        group.MapGet("/", async Task<Results<Ok<List<OrderView>>, ProblemHttpResult>> (string? campaignId, string? customerId,
            string? distributorId, string? status, DateTimeOffset? from, DateTimeOffset? to, int? page, int? pageSize,
            HttpContext http, IRoutingHistory history) =>
        {
            var caller = http.Caller();
            if (Paging.Check(page, pageSize) is { } badPaging) return badPaging;
            if (!TryParseStatus<OrderStatus>(status, out var statusFilter, out var badStatus)) return badStatus;
            if (from is not null && to is not null && from > to) return Problems.BadRequest("badRange", "from must not be after to");
            var search = new OrderSearch(campaignId, customerId, distributorId, statusFilter, from, to, page ?? 1, pageSize ?? Paging.DefaultPageSize);
            search = caller.Scope(search);
            var found = await history.FindOrdersAsync(search);
            Paging.AddHeaders(http, found.Total, found.Page, found.PageSize);
            return TypedResults.Ok(found.Items.Select(caller.Project).ToList());
        })
            .WithName("searchOrders").WithSummary("Search the order history, newest first, one page at a time")
            .Paged().ProducesProblemCodes(400, "badStatus", "badRange");

        group.MapPost("/{id}/cancel", async Task<Results<Ok<OrderView>, ProblemHttpResult>> (string id, CancelRequest? body, HttpContext http, IGrainFactory grains) =>
        {
            if (await VisibleOrderAsync(id, http, grains) is not { } order) return Problems.NotFound($"order '{id}' does not exist");
            var caller = http.Caller();
            if (!caller.CanChange(order)) return Problems.Forbidden("only ops, the ordering customer or its sales manager may cancel an order");
            return ToResult(caller, await grains.GetGrain<IOrderGrain>(id).CancelAsync(body?.Reason ?? $"cancelled by {caller.Subject}", caller.IsOps,
                caller.CancelReasonCode));
        })
            .WithName("cancelOrder").WithSummary("Cancel an order, giving back its stock, campaign units and limit")
            .ProducesValidationProblem().ProducesProblem(403).ProducesProblem(404).ProducesProblemCodes(409, "notAllowed");

        // A customer accepts a suggested substitute; ops may also route a backordered or reviewed order again once stock is in.
        group.MapPost("/{id}/reroute", async Task<Results<Ok<OrderView>, ProblemHttpResult>> (string id, RerouteRequest? body, HttpContext http, IGrainFactory grains) =>
        {
            if (await VisibleOrderAsync(id, http, grains) is not { } order) return Problems.NotFound($"order '{id}' does not exist");
            var caller = http.Caller();
            if (!caller.CanChange(order)) return Problems.Forbidden("only ops, the ordering customer or its sales manager may route an order again");
            return ToResult(caller, await grains.GetGrain<IOrderGrain>(id).RerouteAsync(body?.SubstituteSku));
        })
            .WithName("rerouteOrder").WithSummary("Route an order again, optionally accepting a suggested substitute")
            .ProducesValidationProblem().ProducesProblem(403).ProducesProblem(404).ProducesProblemCodes(409, "notAllowed");

        MapFulfilment(group, "confirm", (g, share) => g.ConfirmAsync(share));
        MapFulfilment(group, "ship", (g, share) => g.ShipAsync(share));
        MapFulfilment(group, "complete", (g, share) => g.CompleteAsync(share));
    }

    /// <summary>Fulfilment is per distributor share: a distributor takes a step for its own share only (the token's
    /// distributor, never the request's); ops take it for every share at once, or for one with <c>?distributorId=</c>.</summary>
    private static void MapFulfilment(RouteGroupBuilder group, string step, Func<IOrderGrain, string?, Task<TransitionResult>> action) =>
        group.MapPost($"/{{id}}/{step}", async Task<Results<Ok<OrderView>, ProblemHttpResult>> (string id, string? distributorId, HttpContext http, IGrainFactory grains) =>
        {
            if (await VisibleOrderAsync(id, http, grains) is null) return Problems.NotFound($"order '{id}' does not exist");
            var caller = http.Caller();
            if (caller.FulfilmentShare(distributorId) is not (true, var share))
                return Problems.Forbidden($"only ops, or an allocated distributor for its own share, may {step} an order");
            return ToResult(caller, await action(grains.GetGrain<IOrderGrain>(id), share));
        })
            .WithName($"{step}Order").WithSummary($"{char.ToUpperInvariant(step[0])}{step[1..]} an order or one distributor's share of it (a fulfilment step)")
            .ProducesProblem(403).ProducesProblem(404).ProducesProblemCodes(409, "notAllowed");

    private static Task<Results<Created<OrderView>, ProblemHttpResult>> PlaceAsync(
        HttpContext http, IGrainFactory grains, string? idempotencyKey, Func<string, PlaceOrder> command) =>
        PlaceForAsync(http, grains, idempotencyKey, http.Caller().CustomerId!, command);

    /// <summary>A <c>?status=</c> filter: absent (null), a status by its exact name, or a 400 <c>badStatus</c> problem.</summary>
    public static bool TryParseStatus<TStatus>(string? status, out TStatus? parsed, [NotNullWhen(false)] out ProblemHttpResult? problem)
        where TStatus : struct, Enum
    {
        (parsed, problem) = (null, null);
        if (status is null) return true;
        if (StrictJson.TryParseName<TStatus>(status, out var value))
        {
            parsed = value;
            return true;
        }
        problem = Problems.BadRequest("badStatus", $"status must be one of {string.Join(", ", Enum.GetNames<TStatus>())}");
        return false;
    }

    /// <summary>What is wrong with an <c>Idempotency-Key</c> header, or null when it can be used.</summary>
    public static ProblemHttpResult? CheckIdempotencyKey(string? idempotencyKey) =>
        string.IsNullOrWhiteSpace(idempotencyKey) ? Problems.BadRequest("idempotencyKeyRequired", $"the {IdempotencyHeader} header is required")
        : PlainText.HasControlCharacters(idempotencyKey) ? Problems.BadRequest("controlCharacters", $"the {IdempotencyHeader} header: {PlainText.ControlCharactersMessage}")
        : idempotencyKey.Length > Limits.MaxIdempotencyKeyLength
            ? Problems.BadRequest("idempotencyKeyTooLong", $"the {IdempotencyHeader} header is at most {Limits.MaxIdempotencyKeyLength} characters")
        : null;

    /// <summary>Places <paramref name="command"/> for <paramref name="customerId"/> (the caller is allowed to) and answers
    /// as the caller may see it: 201 with the order, or the problem of the refusal.</summary>
    public static async Task<Results<Created<OrderView>, ProblemHttpResult>> PlaceForAsync(
        HttpContext http, IGrainFactory grains, string? idempotencyKey, string customerId, Func<string, PlaceOrder> command)
    {
        if (CheckIdempotencyKey(idempotencyKey) is { } badKey) return badKey;
        var caller = http.Caller();
        var orderId = OrderIds.For(customerId, idempotencyKey!);
        var result = await grains.GetGrain<ICustomerGrain>(customerId).PlaceAsync(command(customerId));
        if (result.Outcome == PlaceOutcome.Replayed) http.Response.Headers["Idempotent-Replayed"] = "true";
        return result.Outcome switch
        {
            // The answer is the customer's view: no routing explanation (it weighs the other distributors).
            PlaceOutcome.Created or PlaceOutcome.Replayed => TypedResults.Created($"/api/orders/{orderId}", caller.Project(result.Order!)),
            PlaceOutcome.IdempotencyConflict => Problems.Unprocessable("idempotencyKeyReused", result.Detail!),
            PlaceOutcome.CustomerNotFound => Problems.NotFound(result.Detail!),
            PlaceOutcome.CampaignNotFound => Problems.NotFound(result.Detail!),
            PlaceOutcome.CampaignNotOpen => Problems.Conflict("campaignNotOpen", result.Detail!),
            PlaceOutcome.SoldOut => Problems.Conflict("soldOut", result.Detail!),
            PlaceOutcome.RegionNotEligible => Problems.Unprocessable("regionNotEligible", result.Detail!),
            PlaceOutcome.LimitExceeded => Problems.Unprocessable("limitExceeded", result.Detail!),
            PlaceOutcome.ProductNotFound => Problems.Unprocessable("unknownProduct", result.Detail!),
        };
    }

    /// <summary>The order as the caller may see it (<see cref="Caller.Project"/>), if it exists and the caller may see it;
    /// otherwise null, so its existence does not leak.</summary>
    public static async Task<OrderView?> VisibleOrderAsync(string id, HttpContext http, IGrainFactory grains)
    {
        var caller = http.Caller();
        if (await grains.GetGrain<IOrderGrain>(id).GetAsync() is not { } order || !caller.CanSee(order)) return null;
        return caller.Project(order);
    }

    /// <summary>The answer to a change of an order: the order as the caller may see it, 404, or 409 <c>notAllowed</c>.</summary>
    public static Results<Ok<OrderView>, ProblemHttpResult> ToResult(Caller caller, TransitionResult result) => result.Outcome switch
    {
        TransitionOutcome.Done => TypedResults.Ok(caller.Project(result.Order!)),
        TransitionOutcome.NotFound => Problems.NotFound("order does not exist"),
        TransitionOutcome.NotAllowed => Problems.Conflict("notAllowed", result.Detail!),
    };
}
