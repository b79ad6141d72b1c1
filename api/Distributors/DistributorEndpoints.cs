using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Http.HttpResults;
using Routing.Api.Auth;
using Routing.Api.Infrastructure;
using Routing.Contracts;
using Routing.Contracts.Catalog;
using Routing.Contracts.Distributors;
using Routing.Grains.History;

namespace Routing.Api.Distributors;

/// <summary>Create or update a distributor.</summary>
public sealed record DistributorRequest(
    [property: Required, StringLength(Limits.MaxIdLength), RegularExpression(Limits.IdPattern)] string Id,
    [property: Required, StringLength(Limits.MaxNameLength, MinimumLength = 1)] string Name,
    [property: Required, MinLength(1), MaxLength(Limits.MaxRegions), EachItem(Limits.RegionPattern)] IReadOnlyList<string> Regions,
    [property: Required] LocationDto Location,
    [property: Range(1, Limits.MaxPriorityTier)] int Priority,
    [property: Range(0, Limits.MaxCapacity)] int DailyCapacity,
    bool Active = true)
{
    public DistributorProfile ToProfile() => new(Id, Name, Regions.Distinct().ToList(), Location.ToGeoPoint(), Priority, DailyCapacity, Active);
}

/// <summary>Set a SKU's stock at a distributor.</summary>
public sealed record StockRequest(
    [property: Range(0, Limits.MaxStockUnits)] int OnHand,
    [property: Range(0, Limits.MaxStockUnits)] int Threshold);

/// <summary>A distributor as the API shows it.</summary>
public sealed record DistributorResponse(string Id, string Name, IReadOnlyList<string> Regions, LocationDto Location, int Priority, int DailyCapacity, bool Active)
{
    public static DistributorResponse From(DistributorProfile p) =>
        new(p.Id, p.Name, p.Regions, LocationDto.From(p.Location), p.Priority, p.DailyCapacity, p.Active);
}

/// <summary>A SKU's stock at a distributor as the API shows it. <see cref="Incoming"/> counts units dispatched here by
/// transfers and not yet received; the forecast (<see cref="VelocityPerDay"/> sold a day, <see cref="DaysOfCover"/> left
/// at that rate, null when nothing sells, <see cref="SuggestedRestock"/> to the target cover) is as of the read.</summary>
public sealed record InventoryItemResponse(string Sku, int OnHand, int Reserved, int Available, int Threshold, bool BelowThreshold, int Incoming,
    double VelocityPerDay, double? DaysOfCover, int SuggestedRestock)
{
    public static InventoryItemResponse From(InventoryItem i) =>
        new(i.Sku, i.OnHand, i.Reserved, i.Available, i.Threshold, i.BelowThreshold, i.Incoming, i.VelocityPerDay, i.DaysOfCover, i.SuggestedRestock);
}

public static class DistributorEndpoints
{
    public static void MapDistributorEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/distributors").WithTags("Distributors");

        group.MapPost("/", async Task<Results<Created<DistributorResponse>, Ok<DistributorResponse>>> (DistributorRequest body, IGrainFactory grains) =>
        {
            var profile = body.ToProfile();
            var result = await grains.GetGrain<IDistributorGrain>(body.Id).UpsertProfileAsync(profile);
            var response = DistributorResponse.From(profile);
            return result == UpsertResult.Created
                ? TypedResults.Created($"/api/distributors/{body.Id}", response)
                : TypedResults.Ok(response);
        }).RequireAuthorization(Roles.Ops)
            .WithName("upsertDistributor").WithSummary("Create or update a distributor").ProducesValidationProblem();

        // The distributors the caller may see (ops: all; a distributor: itself), by id, one page at a time.
        group.MapGet("/", async Task<Results<Ok<List<DistributorResponse>>, ProblemHttpResult>> (int? page, int? pageSize, HttpContext http, IGrainFactory grains) =>
        {
            var caller = http.Caller();
            if (caller.ShutOutOf(Owner.Distributor)) return Problems.Forbidden($"a {caller.Role} token has no access to distributors");
            if (Paging.Check(page, pageSize) is { } badPaging) return badPaging;
            var snapshots = await grains.GetGrain<IDistributorDirectoryGrain>(0).GetSnapshotsAsync();
            var visible = snapshots.Select(s => s.Id).Where(id => caller.Owns(Owner.Distributor, id)).Order(StringComparer.Ordinal).ToList();
            var profiles = await Task.WhenAll(Paging.Page(http, visible, page, pageSize).Select(id => grains.GetGrain<IDistributorGrain>(id).GetProfileAsync()));
            return TypedResults.Ok(profiles.OfType<DistributorProfile>().Select(DistributorResponse.From).ToList());
        })
            .WithName("listDistributors").WithSummary("List the distributors the caller may see").Paged().ProducesProblem(403);

        group.MapGet("/{id}", async Task<Results<Ok<DistributorResponse>, ProblemHttpResult>> (string id, IGrainFactory grains) =>
        {
            var profile = await grains.GetGrain<IDistributorGrain>(id).GetProfileAsync();
            return profile is null ? Problems.NotFound($"distributor '{id}' does not exist") : TypedResults.Ok(DistributorResponse.From(profile));
        }).OwnedBy(Owner.Distributor)
            .WithName("getDistributor").WithSummary("Get a distributor's profile").ProducesProblem(404);

        group.MapPut("/{id}/inventory/{sku}", async Task<Results<Ok<InventoryItemResponse>, ProblemHttpResult>> (
            string id, string sku, StockRequest body, IGrainFactory grains) =>
        {
            if (await grains.GetGrain<IProductCatalogGrain>(0).GetAsync(sku) is null)
                return Problems.NotFound($"product '{sku}' does not exist");
            var result = await grains.GetGrain<IDistributorGrain>(id).SetStockAsync(sku, body.OnHand, body.Threshold);
            return result.Outcome switch
            {
                StockUpdateOutcome.Updated => TypedResults.Ok(InventoryItemResponse.From(result.Item!)),
                StockUpdateOutcome.DistributorNotFound => Problems.NotFound($"distributor '{id}' does not exist"),
                StockUpdateOutcome.BelowReserved => Problems.Conflict("belowReserved",
                    $"on hand cannot be set to {body.OnHand}: {result.Item!.Reserved} units are reserved for open orders"),
            };
        }).RequireAuthorization(Roles.Ops)
            .WithName("setStock").WithSummary("Set a SKU's units on hand and low-stock threshold at a distributor")
            .ProducesValidationProblem().ProducesProblem(404).ProducesProblemCodes(409, "belowReserved");

        // Stock per SKU, by SKU, one page at a time.
        group.MapGet("/{id}/inventory", async Task<Results<Ok<List<InventoryItemResponse>>, ProblemHttpResult>> (string id, int? page, int? pageSize,
            HttpContext http, IGrainFactory grains) =>
        {
            if (Paging.Check(page, pageSize) is { } badPaging) return badPaging;
            var grain = grains.GetGrain<IDistributorGrain>(id);
            if (await grain.GetProfileAsync() is null) return Problems.NotFound($"distributor '{id}' does not exist");
            var items = (await grain.GetInventoryAsync()).OrderBy(i => i.Sku, StringComparer.Ordinal).ToList();
            return TypedResults.Ok(Paging.Page(http, items, page, pageSize).Select(InventoryItemResponse.From).ToList());
        }).OwnedBy(Owner.Distributor)
            .WithName("listInventory").WithSummary("List a distributor's stock per SKU").Paged().ProducesProblem(404);

        // Every stock movement, newest first, one page at a time (X-Total-Count, X-Page, X-Page-Size headers).
        group.MapGet("/{id}/ledger", async Task<Results<Ok<IReadOnlyList<LedgerMovement>>, ProblemHttpResult>> (string id, int? page, int? pageSize,
            HttpContext http, IGrainFactory grains, IRoutingHistory history) =>
        {
            if (Paging.Check(page, pageSize) is { } badPaging) return badPaging;
            if (await grains.GetGrain<IDistributorGrain>(id).GetProfileAsync() is null) return Problems.NotFound($"distributor '{id}' does not exist");
            var found = await history.LedgerAsync(id, page ?? 1, pageSize ?? Paging.DefaultPageSize);
            Paging.AddHeaders(http, found.Total, found.Page, found.PageSize);
            return TypedResults.Ok(found.Items);
        }).OwnedBy(Owner.Distributor)
            .WithName("listLedger").WithSummary("List a distributor's stock movements, newest first")
            .Paged().ProducesProblem(404);

        // The stock statement (进销存) per SKU over a period: this month so far unless from/to say otherwise; CSV on request.
        group.MapGet("/{id}/ledger/summary", async Task<Results<Ok<IReadOnlyList<LedgerSummaryRow>>, ContentHttpResult, ProblemHttpResult>> (
            string id, DateTimeOffset? from, DateTimeOffset? to, string? format, IGrainFactory grains, IRoutingHistory history, TimeProvider clock) =>
        {
            if (format is not (null or "json" or "csv")) return Problems.BadRequest("badFormat", "format must be json or csv");
            var now = clock.GetUtcNow();
            var since = from ?? new DateTimeOffset(now.Year, now.Month, 1, 0, 0, 0, TimeSpan.Zero);
            var until = to ?? now;
            if (since > until) return Problems.BadRequest("badRange", "from must not be after to");
            if (await grains.GetGrain<IDistributorGrain>(id).GetProfileAsync() is null) return Problems.NotFound($"distributor '{id}' does not exist");
            var rows = await history.LedgerSummaryAsync(id, since, until);
            return format == "csv" ? TypedResults.Text(LedgerSummary.Csv(rows), "text/csv; charset=utf-8") : TypedResults.Ok(rows);
        }).OwnedBy(Owner.Distributor)
            .WithName("ledgerSummary").WithSummary("A distributor's stock statement per SKU over a period: opening, ins and outs by kind, closing (?format=csv)")
            .Produces<IReadOnlyList<LedgerSummaryRow>>(200, "application/json", "text/csv").ProducesProblem(404).ProducesProblemCodes(400, "badFormat", "badRange");

        // Open reservations (thousands at a busy distributor during a sale), one page at a time.
        group.MapGet("/{id}/reservations", async Task<Results<Ok<List<Reservation>>, ProblemHttpResult>> (string id, int? page, int? pageSize,
            HttpContext http, IGrainFactory grains) =>
        {
            if (Paging.Check(page, pageSize) is { } badPaging) return badPaging;
            var grain = grains.GetGrain<IDistributorGrain>(id);
            if (await grain.GetProfileAsync() is null) return Problems.NotFound($"distributor '{id}' does not exist");
            return TypedResults.Ok(Paging.Page(http, await grain.GetReservationsAsync(), page, pageSize));
        }).OwnedBy(Owner.Distributor)
            .WithName("listReservations").WithSummary("List a distributor's open reservations").Paged().ProducesProblem(404);
    }
}
