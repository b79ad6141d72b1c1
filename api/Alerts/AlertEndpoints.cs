using Microsoft.AspNetCore.Http.HttpResults;
using Routing.Api.Auth;
using Routing.Api.Infrastructure;
using Routing.Contracts.Alerts;

namespace Routing.Api.Alerts;

public static class AlertEndpoints
{
    public static void MapAlertEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/alerts").WithTags("Alerts");

        // Ops see every alert (or one distributor's); a distributor sees only its own. Newest first, one page at a time.
        group.MapGet("/", async Task<Results<Ok<List<Alert>>, ProblemHttpResult>> (
            string? distributorId, bool? openOnly, int? page, int? pageSize, HttpContext http, IGrainFactory grains) =>
        {
            var caller = http.Caller();
            if (!caller.ReadsAlerts) return Problems.Forbidden("alerts are for operations staff and distributors");
            if (Paging.Check(page, pageSize) is { } badPaging) return badPaging;
            if (!caller.IsOps) distributorId = caller.DistributorId;
            var alerts = await grains.GetGrain<IAlertLogGrain>(0).ListAsync(new AlertQuery(distributorId, openOnly ?? false, Routing.Grains.Alerts.AlertLogGrain.Retained));
            return TypedResults.Ok(Paging.Page(http, alerts, page, pageSize));
        })
            .WithName("listAlerts").WithSummary("List alerts, newest first").Paged().ProducesProblem(403);

        group.MapPost("/{id:long}/acknowledge", async Task<Results<Ok<Alert>, ProblemHttpResult>> (long id, HttpContext http, IGrainFactory grains) =>
        {
            var caller = http.Caller();
            if (!caller.ReadsAlerts) return Problems.Forbidden("alerts are for operations staff and distributors");
            var log = grains.GetGrain<IAlertLogGrain>(0);
            var alert = await log.GetAsync(id);
            // A distributor may acknowledge only its own alerts; any other alert "does not exist" for it.
            if (alert is null || !caller.CanSee(alert))
                return Problems.NotFound($"alert {id} does not exist");
            return TypedResults.Ok((await log.AcknowledgeAsync(id, caller.Subject))!);
        })
            .WithName("acknowledgeAlert").WithSummary("Acknowledge an alert").ProducesProblem(403).ProducesProblem(404);
    }
}
