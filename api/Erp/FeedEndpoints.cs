using System.ComponentModel;
using Microsoft.AspNetCore.Http.HttpResults;
using Routing.Api.Auth;
using Routing.Api.Infrastructure;
using Routing.Grains.History;

namespace Routing.Api.Erp;

/// <summary>One page of the ERP feed: its events in feed order, and <see cref="Next"/>, the cursor to pass as
/// <c>after</c> next time (the last event's, or the <c>after</c> given when there is none yet).</summary>
public sealed record ErpFeedPage(IReadOnlyList<ErpEvent> Events, string Next);

/// <summary>The outbound ERP feed (SAP polls it): every order and stock change SAP needs, in one order that never
/// changes once read, from a cursor (<see cref="IErpFeed"/>). Read by the ERP's identity only.</summary>
public static class FeedEndpoints
{
    public const int DefaultLimit = 100;
    public const int MaxLimit = 1000;

    public static void MapFeedEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/erp/events", async Task<Results<Ok<ErpFeedPage>, ProblemHttpResult>> (
            [Description("The cursor to read after: a page's next (or an event's cursor); none: from the first event")] string? after,
            [Description("Most events in the page: 1 to 1000, 100 unless given")] int? limit,
            IErpFeed feed) =>
        {
            if (limit is < 1 or > MaxLimit) return Problems.BadRequest("badLimit", $"limit is between 1 and {MaxLimit}");
            var from = ErpCursor.Start;
            if (after is not null && !ErpCursor.TryParse(after, out from))
                return Problems.BadRequest("invalidCursor", "after is a cursor the feed answered (an event's cursor or a page's next)");
            var events = await feed.ReadAsync(from, limit ?? DefaultLimit);
            return TypedResults.Ok(new ErpFeedPage(events, events.Count > 0 ? events[^1].Cursor : from.ToString()));
        })
            .WithTags("ERP").RequireAuthorization(Roles.Erp)
            .WithName("listErpEvents")
            .WithSummary("The ERP feed: order and stock changes after a cursor, in order (poll with the page's next as after)")
            .ProducesProblem(403).ProducesProblemCodes(400, "badLimit", "invalidCursor", "invalidParameter");
    }
}
