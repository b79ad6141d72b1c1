using Microsoft.AspNetCore.Http.HttpResults;
using Routing.Api.Auth;
using Routing.Api.Infrastructure;
using Routing.Contracts.Orders;
using Routing.Domain;
using Routing.Domain.Rules;
using Routing.Grains.History;

namespace Routing.Api.Orders;

/// <summary>An order in the exception queue: why it could not be allocated (<see cref="Cause"/>, a code) and what ops can
/// do about it with one click (<see cref="SuggestedActions"/>: <c>POST /api/orders/{id}/reroute</c>, with the SKU to
/// accept a substitute, or <c>…/cancel</c>).</summary>
public sealed record ExceptionOrder(
    string OrderId, string CustomerId, string? CampaignId, OrderStatus Status, IReadOnlyList<OrderLine> Lines, string? Reason,
    IReadOnlyList<SubstituteSuggestion> Suggestions, DateTimeOffset PlacedAt, DateTimeOffset UpdatedAt,
    string Cause, IReadOnlyList<SuggestedAction> SuggestedActions)
{
    public static ExceptionOrder From(OrderView o) => new(
        o.OrderId, o.CustomerId, o.CampaignId, o.Status, o.Lines, o.Reason, o.Suggestions, o.PlacedAt, o.UpdatedAt,
        // Orders placed before causes were recorded get the one their status implies.
        o.Cause ?? ExceptionRules.CauseOf(o.Status, [])!,
        ExceptionRules.Actions(o.Status, o.Suggestions.Select(s => s.SubstituteSku)));
}

public static class ExceptionEndpoints
{
    /// <summary>The statuses of the queue: orders waiting for a substitute, for stock, or for a person.</summary>
    private static readonly OrderStatus[] Queued = [.. Enum.GetValues<OrderStatus>().Where(ExceptionRules.InQueue)];

    public static void MapExceptionEndpoints(this IEndpointRouteBuilder app) =>
        app.MapGet("/api/exceptions", async Task<Results<Ok<List<ExceptionOrder>>, ProblemHttpResult>> (int? page, int? pageSize, HttpContext http, IRoutingHistory history) =>
        {
            if (Paging.Check(page, pageSize) is { } badPaging) return badPaging;
            var found = await history.FindOrdersAsync(new OrderSearch(Statuses: Queued, OldestFirst: true,
                Page: page ?? 1, PageSize: pageSize ?? Paging.DefaultPageSize));
            Paging.AddHeaders(http, found.Total, found.Page, found.PageSize);
            return TypedResults.Ok(found.Items.Select(ExceptionOrder.From).ToList());
        })
            .WithTags("Orders").RequireAuthorization(Roles.Ops)
            .WithName("listExceptions").WithSummary("The exception queue: orders awaiting a substitute, backordered or in manual review, oldest first, with cause and suggested actions")
            .Paged();
}
