using Microsoft.AspNetCore.Http.HttpResults;
using Routing.Api.Auth;
using Routing.Api.Infrastructure;
using Routing.Grains.History;

namespace Routing.Api.Analytics;

/// <summary>Order analytics (订单经营): outcomes, fill rates, failure reasons, hours and distributors over a period, from
/// the order journal (<see cref="OrderAnalytics"/> says what each figure counts).</summary>
public static class AnalyticsEndpoints
{
    /// <summary>Hours of the day are China's (UTC+8) unless the query says otherwise.</summary>
    private const int DefaultUtcOffsetMinutes = 8 * 60;

    public static void MapAnalyticsEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/analytics/orders", async Task<Results<Ok<OrderAnalytics>, ContentHttpResult, ProblemHttpResult>> (
            DateTimeOffset? from, DateTimeOffset? to, string? campaignId, string? distributorId, int? utcOffsetMinutes, string? format,
            HttpContext http, IRoutingHistory history, TimeProvider clock) =>
        {
            var caller = http.Caller();
            if (!caller.IsOps && !caller.IsDistributor) return Problems.Forbidden($"a {caller.Role} token has no access to analytics");
            if (format is not (null or "json" or "csv")) return Problems.BadRequest("badFormat", "format must be json or csv");
            var offset = utcOffsetMinutes ?? DefaultUtcOffsetMinutes;
            if (offset is < -12 * 60 or > 14 * 60) return Problems.BadRequest("badOffset", "utcOffsetMinutes is between -720 and 840");
            var until = to ?? clock.GetUtcNow();
            var since = from ?? until.AddDays(-7);
            if (since > until) return Problems.BadRequest("badRange", "from must not be after to");
            // A distributor's analytics are its own, whichever distributor it asks for.
            var query = new AnalyticsQuery(since, until, campaignId, caller.IsDistributor ? caller.DistributorId : distributorId, offset);
            var (groups, distributors) = await history.OrderAnalyticsAsync(query);
            var analytics = OrderAnalytics.Of(query, groups, distributors);
            return format == "csv" ? TypedResults.Text(analytics.Csv(), "text/csv; charset=utf-8") : TypedResults.Ok(analytics);
        })
            .WithTags("Analytics")
            .WithName("orderAnalytics")
            .WithSummary("Order analytics over ?from=&to= (default: the last 7 days), ?campaignId=, ?distributorId= (a distributor: its own); ?format=csv")
            .Produces<OrderAnalytics>(200, "application/json", "text/csv").ProducesProblem(403).ProducesProblemCodes(400, "badFormat", "badOffset", "badRange");
    }
}
