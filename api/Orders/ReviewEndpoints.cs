using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Http.HttpResults;
using Routing.Api.Auth;
using Routing.Api.Infrastructure;
using Routing.Contracts.Orders;
using Routing.Domain;
using Routing.Grains.History;

namespace Routing.Api.Orders;

/// <summary>The review rules (订单审核): an order over any set limit is reserved as usual but held (<c>OnHold</c>) for ops.
/// Every field is required; null turns that rule off (<c>autoRejectAfterSeconds</c> null: held orders wait).</summary>
public sealed record ReviewRulesDto(
    [property: Range(1, Limits.MaxOrderQuantity)] int? MaxUnits,
    [property: Range(0.01, Limits.MaxPrice * Limits.MaxOrderQuantity)] decimal? MaxAmount,
    [property: Range(1, Limits.MaxOrderQuantity)] int? FirstOrderMaxUnits,
    [property: Range(1, Limits.MaxHoldSeconds)] int? AutoRejectAfterSeconds)
{
    public ReviewSettings ToSettings() => new(MaxUnits, MaxAmount, FirstOrderMaxUnits, AutoRejectAfterSeconds);

    public static ReviewRulesDto From(ReviewSettings s) => new(s.MaxUnits, s.MaxAmount, s.FirstOrderMaxUnits, s.AutoRejectAfterSeconds);
}

/// <summary>Why a held order is rejected (the customer sees it).</summary>
public sealed record RejectRequest([property: Required, MinLength(1), StringLength(Limits.MaxReasonLength)] string Reason);

/// <summary>Held orders to approve at once.</summary>
public sealed record BulkApproveRequest(
    [property: Required, MinLength(1), MaxLength(Limits.MaxBulkOrders), NoNullItems, EachItem(Limits.IdPattern)]
    IReadOnlyList<string> OrderIds);

/// <summary>How approving one order of a bulk approval went: <c>approved</c> (or approved before), <c>notFound</c>, or
/// <c>notAllowed</c> (it is not on hold; <see cref="Detail"/> says what it is).</summary>
public sealed record BulkApproveResult(string OrderId, string Outcome, OrderStatus? Status, string? Detail)
{
    public const string Approved = "approved";
    public const string NotFound = "notFound";
    public const string NotAllowed = "notAllowed";
}

/// <summary>Order review, for ops: the rules, the queue of held orders (oldest first), and the decisions. A held order
/// keeps its reservations while it waits; approved, it is allocated (its payment window, if any, starts then); rejected,
/// or undecided past <c>autoRejectAfterSeconds</c>, it is cancelled (<c>rejectedInReview</c>) and gives everything back.</summary>
public static class ReviewEndpoints
{
    public static void MapReviewEndpoints(this IEndpointRouteBuilder app)
    {
        var rules = app.MapGroup("/api/review-rules").WithTags("Review").RequireAuthorization(Roles.Ops);
        rules.MapGet("/", async (IGrainFactory grains) => TypedResults.Ok(ReviewRulesDto.From(await grains.GetGrain<IReviewRulesGrain>(0).GetAsync())))
            .WithName("getReviewRules").WithSummary("The review rules placements are checked against");
        rules.MapPut("/", async (ReviewRulesDto body, IGrainFactory grains) =>
        {
            await grains.GetGrain<IReviewRulesGrain>(0).SetAsync(body.ToSettings());
            return TypedResults.Ok(body);
        })
            .WithName("setReviewRules").WithSummary("Set the review rules (they apply to orders placed from a second later)")
            .ProducesValidationProblem();

        var reviews = app.MapGroup("/api").WithTags("Review").RequireAuthorization(Roles.Ops);
        reviews.MapGet("/reviews", async Task<Results<Ok<List<OrderView>>, ProblemHttpResult>> (int? page, int? pageSize, HttpContext http, IRoutingHistory history) =>
        {
            if (Paging.Check(page, pageSize) is { } badPaging) return badPaging;
            var found = await history.FindOrdersAsync(new OrderSearch(Status: OrderStatus.OnHold, OldestFirst: true,
                Page: page ?? 1, PageSize: pageSize ?? Paging.DefaultPageSize));
            Paging.AddHeaders(http, found.Total, found.Page, found.PageSize);
            return TypedResults.Ok(found.Items.ToList());
        })
            .WithName("listReviews").WithSummary("The review queue: orders on hold, oldest first, each with its holds")
            .Paged();

        reviews.MapPost("/orders/{id}/approve", async Task<Results<Ok<OrderView>, ProblemHttpResult>> (string id, HttpContext http, IGrainFactory grains) =>
            OrderEndpoints.ToResult(http.Caller(), await grains.GetGrain<IOrderGrain>(id).ApproveAsync()))
            .WithName("approveOrder").WithSummary("Approve an order on hold: it is allocated with the reservations it has")
            .ProducesProblem(404).ProducesProblemCodes(409, "notAllowed");

        reviews.MapPost("/orders/{id}/reject", async Task<Results<Ok<OrderView>, ProblemHttpResult>> (string id, RejectRequest body, HttpContext http, IGrainFactory grains) =>
            OrderEndpoints.ToResult(http.Caller(), await grains.GetGrain<IOrderGrain>(id).RejectAsync(body.Reason)))
            .WithName("rejectOrder").WithSummary("Reject an order on hold: cancelled (rejectedInReview), its stock, campaign units and limit given back")
            .ProducesValidationProblem().ProducesProblem(404).ProducesProblemCodes(409, "notAllowed");

        reviews.MapPost("/reviews/approve", async (BulkApproveRequest body, IGrainFactory grains) =>
        {
            var ids = body.OrderIds.Distinct(StringComparer.Ordinal).ToList();
            var results = await Task.WhenAll(ids.Select(async id => Outcome(id, await grains.GetGrain<IOrderGrain>(id).ApproveAsync())));
            return TypedResults.Ok(results.ToList());
        })
            .WithName("approveOrders").WithSummary("Approve many orders on hold at once; answers per order, in the order asked (repeats once)")
            .ProducesValidationProblem();
    }

    private static BulkApproveResult Outcome(string id, TransitionResult result) => result.Outcome switch
    {
        TransitionOutcome.Done => new(id, BulkApproveResult.Approved, result.Order!.Status, null),
        TransitionOutcome.NotFound => new(id, BulkApproveResult.NotFound, null, "order does not exist"),
        TransitionOutcome.NotAllowed => new(id, BulkApproveResult.NotAllowed, null, result.Detail),
    };
}
