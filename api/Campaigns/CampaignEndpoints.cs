using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Http.HttpResults;
using Routing.Api.Auth;
using Routing.Api.Infrastructure;
using Routing.Contracts;
using Routing.Contracts.Campaigns;
using Routing.Contracts.Catalog;
using Routing.Contracts.Distributors;
using Routing.Contracts.Policies;
using Routing.Domain;

namespace Routing.Api.Campaigns;

/// <summary>A volume price tier in a request.</summary>
public sealed record PriceTierDto(
    [property: Range(1, Limits.MaxCapacity)] int MinUnits,
    [property: Range(0.01, Limits.MaxPrice)] decimal Price);

/// <summary>Create a group-buy campaign. Creating the same campaign again is a no-op (200); a different one with the same id is 409.</summary>
public sealed record CampaignRequest(
    [property: Required, StringLength(Limits.MaxIdLength), RegularExpression(Limits.IdPattern)] string Id,
    [property: Required, StringLength(Limits.MaxIdLength), RegularExpression(Limits.IdPattern)] string Sku,
    [property: Range(0.01, Limits.MaxPrice)] decimal Price,
    DateTimeOffset StartsAt,
    DateTimeOffset EndsAt,
    [property: Range(1, Limits.MaxCapacity)] int Cap,
    [property: Range(1, Limits.MaxOrderQuantity)] int PerCustomerLimit,
    [property: Range(0, Limits.MaxCapacity)] int MinUnits,
    [property: StringLength(Limits.MaxNameLength)] string? Name = null,
    [property: MaxLength(Limits.MaxPriceTiers), NoNullItems] IReadOnlyList<PriceTierDto>? Tiers = null,
    [property: MaxLength(Limits.MaxRegions), EachItem(Limits.RegionPattern)] IReadOnlyList<string>? Regions = null,
    [property: MaxLength(Limits.MaxListItems), EachItem(Limits.IdPattern)] IReadOnlyList<string>? Distributors = null,
    [property: StringLength(Limits.MaxIdLength), RegularExpression(Limits.IdPattern)] string? Policy = null,
    [property: Range(1, Limits.MaxPaymentWindowSeconds)] int? PaymentWindowSeconds = null);

/// <summary>A campaign with its live numbers.</summary>
public sealed record CampaignResponse(
    string Id, string Name, string Sku, decimal Price, decimal CurrentPrice, IReadOnlyList<PriceTier> Tiers,
    DateTimeOffset StartsAt, DateTimeOffset EndsAt, int Cap, int Sold, int Remaining, int PerCustomerLimit, int MinUnits,
    IReadOnlyList<string> Regions, IReadOnlyList<string> Distributors, string Policy, CampaignStatus Status,
    int TiersReached, PriceTier? NextTier, int? PaymentWindowSeconds)
{
    public static CampaignResponse From(CampaignView v)
    {
        var d = v.Definition;
        return new(d.Id, d.Name, d.Sku, d.Price, v.CurrentPrice, d.Tiers, d.StartsAt, d.EndsAt, d.Cap, v.Sold, d.Cap - v.Sold,
            d.PerCustomerLimit, d.MinUnits, d.Regions, d.Distributors, d.PolicyId, v.Status, v.TiersReached, v.NextTier, d.PaymentWindowSeconds);
    }
}

public static class CampaignEndpoints
{
    public static void MapCampaignEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/campaigns").WithTags("Campaigns");

        group.MapPost("/", async Task<Results<Created<CampaignResponse>, Ok<CampaignResponse>, ProblemHttpResult>> (CampaignRequest body, IGrainFactory grains) =>
        {
            if (await CheckAsync(body, grains) is { } problem) return problem;
            var definition = new CampaignDefinition(body.Id, body.Name ?? body.Id, body.Sku, body.Price,
                (body.Tiers ?? []).Select(t => new PriceTier(t.MinUnits, t.Price)).OrderBy(t => t.MinUnits).ToList(),
                body.StartsAt, body.EndsAt, body.Cap, body.PerCustomerLimit, body.MinUnits,
                (body.Regions ?? []).Distinct().ToList(), (body.Distributors ?? []).Distinct().ToList(), body.Policy ?? RoutingPolicy.DefaultId,
                body.PaymentWindowSeconds);
            var campaign = grains.GetGrain<ICampaignGrain>(body.Id);
            var result = await campaign.CreateAsync(definition);
            if (result == UpsertResult.Conflict)
                return Problems.Conflict("campaignExists", $"campaign '{body.Id}' already exists with a different definition");
            var view = CampaignResponse.From((await campaign.GetAsync())!);
            return result == UpsertResult.Created ? TypedResults.Created($"/api/campaigns/{body.Id}", view) : TypedResults.Ok(view);
        }).RequireAuthorization(Roles.Ops)
            .WithName("createCampaign").WithSummary("Create a group-buy campaign").ProducesValidationProblem()
            .ProducesProblemCodes(409, "campaignExists")
            .ProducesProblemCodes(422, "invalidSchedule", "invalidLimit", "invalidMinimum", "invalidTiers", "unknownProduct", "unknownPolicy", "unknownDistributor");

        // Campaigns by start, one page at a time.
        group.MapGet("/", async Task<Results<Ok<List<CampaignResponse>>, ProblemHttpResult>> (int? page, int? pageSize, HttpContext http, IGrainFactory grains) =>
        {
            if (Paging.Check(page, pageSize) is { } badPaging) return badPaging;
            var ids = await grains.GetGrain<ICampaignRegistryGrain>(0).ListAsync();
            var views = await Task.WhenAll(ids.Select(id => grains.GetGrain<ICampaignGrain>(id).GetAsync()));
            var campaigns = views.OfType<CampaignView>().Select(CampaignResponse.From).OrderBy(c => c.StartsAt).ThenBy(c => c.Id, StringComparer.Ordinal).ToList();
            return TypedResults.Ok(Paging.Page(http, campaigns, page, pageSize));
        })
            .WithName("listCampaigns").WithSummary("List the campaigns with their live numbers, earliest start first").Paged();

        group.MapGet("/{id}", async Task<Results<Ok<CampaignResponse>, ProblemHttpResult>> (string id, IGrainFactory grains) =>
            await grains.GetGrain<ICampaignGrain>(id).GetAsync() is { } view
                ? TypedResults.Ok(CampaignResponse.From(view))
                : Problems.NotFound($"campaign '{id}' does not exist"))
            .WithName("getCampaign").WithSummary("Get a campaign with its live numbers").ProducesProblem(404);
    }

    /// <summary>Rules that span fields or need lookups; single-field limits are on the request type.</summary>
    private static async Task<ProblemHttpResult?> CheckAsync(CampaignRequest body, IGrainFactory grains)
    {
        if (body.EndsAt <= body.StartsAt) return Problems.Unprocessable("invalidSchedule", "endsAt must be after startsAt");
        if (body.PerCustomerLimit > body.Cap) return Problems.Unprocessable("invalidLimit", "perCustomerLimit cannot exceed cap");
        if (body.MinUnits > body.Cap) return Problems.Unprocessable("invalidMinimum", "minUnits cannot exceed cap");
        if (body.Tiers is { } tiers && tiers.Select(t => t.MinUnits).Distinct().Count() != tiers.Count)
            return Problems.Unprocessable("invalidTiers", "two tiers have the same minUnits");
        if (await grains.GetGrain<IProductCatalogGrain>(0).GetAsync(body.Sku) is null)
            return Problems.Unprocessable("unknownProduct", $"product '{body.Sku}' does not exist");
        if (body.Policy is { } policy && await grains.GetGrain<IRoutingPoliciesGrain>(0).GetAsync(policy) is null)
            return Problems.Unprocessable("unknownPolicy", $"routing policy '{policy}' does not exist");
        foreach (var id in body.Distributors ?? [])
            if (await grains.GetGrain<IDistributorGrain>(id).GetProfileAsync() is null)
                return Problems.Unprocessable("unknownDistributor", $"distributor '{id}' does not exist");
        return null;
    }
}
