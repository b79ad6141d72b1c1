using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Http.HttpResults;
using Routing.Api.Auth;
using Routing.Api.Infrastructure;
using Routing.Contracts.Policies;
using Routing.Domain;

namespace Routing.Api.Policies;

/// <summary>Ranking weights in a request; each in [0, 100].</summary>
public sealed record WeightsDto(
    [property: Range(0.0, Limits.MaxRankingWeight)] double Priority,
    [property: Range(0.0, Limits.MaxRankingWeight)] double Distance,
    [property: Range(0.0, Limits.MaxRankingWeight)] double Stock,
    [property: Range(0.0, Limits.MaxRankingWeight)] double Load);

/// <summary>A routing policy's settings; omitted fields take the defaults.</summary>
public sealed record PolicyRequest(
    bool? HomeFirst = null,
    [property: Range(Limits.MinDistanceKm, Limits.MaxDistanceKm)] double? MaxDistanceKm = null,
    WeightsDto? Weights = null,
    SplitPolicy? Split = null,
    [property: Range(1, Limits.MaxSplits)] int? MaxSplits = null,
    bool? SuggestSubstitutes = null,
    bool? AutoSubstitute = null,
    FallbackAction? Fallback = null);

/// <summary>What a policy's setting is where a request omits it: the console's new-policy form starts from these.</summary>
public sealed record PolicyDefaults(
    bool HomeFirst, double? MaxDistanceKm, RankingWeights Weights, SplitPolicy Split, int MaxSplits,
    bool SuggestSubstitutes, bool AutoSubstitute, FallbackAction Fallback)
{
    public static PolicyDefaults Of(RoutingPolicy d) =>
        new(d.HomeFirst, d.MaxDistanceKm, d.EffectiveWeights, d.Split, d.MaxSplits, d.SuggestSubstitutes, d.AutoSubstitute, d.Fallback);
}

public static class PolicyEndpoints
{
    public static void MapPolicyEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/policies").WithTags("Routing policies").RequireAuthorization(Roles.Ops);

        // Policies by id, one page at a time.
        group.MapGet("/", async Task<Results<Ok<List<RoutingPolicy>>, ProblemHttpResult>> (int? page, int? pageSize, HttpContext http, IGrainFactory grains) =>
        {
            if (Paging.Check(page, pageSize) is { } badPaging) return badPaging;
            var policies = (await grains.GetGrain<IRoutingPoliciesGrain>(0).ListAsync()).OrderBy(p => p.Id, StringComparer.Ordinal).ToList();
            return TypedResults.Ok(Paging.Page(http, policies, page, pageSize));
        })
            .WithName("listPolicies").WithSummary("List the routing policies, by id").Paged();

        // Beside the policies rather than under them, so that no policy id is taken.
        app.MapGet("/api/policy-defaults", () => TypedResults.Ok(PolicyDefaults.Of(RoutingPolicy.Default)))
            .WithTags("Routing policies").RequireAuthorization(Roles.Ops)
            .WithName("getPolicyDefaults").WithSummary("The settings a policy takes where a request omits them");

        group.MapGet("/{id}", async Task<Results<Ok<RoutingPolicy>, ProblemHttpResult>> (string id, IGrainFactory grains) =>
            await grains.GetGrain<IRoutingPoliciesGrain>(0).GetAsync(id) is { } policy
                ? TypedResults.Ok(policy)
                : Problems.NotFound($"routing policy '{id}' does not exist"))
            .WithName("getPolicy").WithSummary("Get a routing policy").ProducesProblem(404);

        group.MapPut("/{id}", async Task<Results<Ok<RoutingPolicy>, ProblemHttpResult>> (string id, PolicyRequest body, IGrainFactory grains) =>
        {
            if (id.Length > Limits.MaxIdLength || !Limits.Matches(Limits.IdPattern, id))
                return Problems.BadRequest("invalidId", $"a policy id is 1–{Limits.MaxIdLength} letters, digits, '.', '_' or '-'");
            if (body.Weights is { } w && w.Priority + w.Distance + w.Stock + w.Load <= 0)
                return Problems.Unprocessable("invalidWeights", "at least one ranking weight must be positive");
            var d = RoutingPolicy.Default;
            var policy = new RoutingPolicy(id,
                body.HomeFirst ?? d.HomeFirst,
                body.MaxDistanceKm,
                body.Weights is { } weights ? new RankingWeights(weights.Priority, weights.Distance, weights.Stock, weights.Load) : d.Weights,
                body.Split ?? d.Split,
                body.MaxSplits ?? d.MaxSplits,
                body.SuggestSubstitutes ?? d.SuggestSubstitutes,
                body.AutoSubstitute ?? d.AutoSubstitute,
                body.Fallback ?? d.Fallback);
            await grains.GetGrain<IRoutingPoliciesGrain>(0).SetAsync(policy);
            return TypedResults.Ok(policy);
        })
            .WithName("setPolicy").WithSummary("Create or replace a routing policy")
            .ProducesValidationProblem().ProducesProblemCodes(400, "invalidId").ProducesProblemCodes(422, "invalidWeights");
    }
}
