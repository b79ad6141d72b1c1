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

        // Ops see every alert (or one distributor's); a distributor sees only its own.
        group.MapGet("/", async Task<Results<Ok<IReadOnlyList<Alert>>, ProblemHttpResult>> (
            string? distributorId, bool? openOnly, int? limit, HttpContext http, IGrainFactory grains) =>
        {
            var caller = http.Caller();
            if (caller.Role == Roles.Distributor) distributorId = caller.DistributorId;
            else if (!caller.IsOps) return Problems.Forbidden("alerts are for operations staff and distributors");
            if (limit is < 1 or > 1000) return Problems.BadRequest("invalidLimit", "limit is between 1 and 1000");
            return TypedResults.Ok(await grains.GetGrain<IAlertLogGrain>(0).ListAsync(new AlertQuery(distributorId, openOnly ?? false, limit ?? 200)));
        })
            .WithName("listAlerts").WithSummary("List alerts, newest first").ProducesProblemCodes(400, "invalidLimit", "badRequest").ProducesProblem(403);

        group.MapPost("/{id:long}/acknowledge", async Task<Results<Ok<Alert>, ProblemHttpResult>> (long id, HttpContext http, IGrainFactory grains) =>
        {
            var caller = http.Caller();
            var log = grains.GetGrain<IAlertLogGrain>(0);
            var alert = await log.GetAsync(id);
            // A distributor may acknowledge only its own alerts; any other alert "does not exist" for it.
            if (alert is null || !(caller.IsOps || (alert.DistributorId is { } d && caller.CanSeeDistributor(d))))
                return Problems.NotFound($"alert {id} does not exist");
            return TypedResults.Ok((await log.AcknowledgeAsync(id, caller.Subject))!);
        })
            .WithName("acknowledgeAlert").WithSummary("Acknowledge an alert").ProducesProblem(404);
    }
}
