using System.ComponentModel.DataAnnotations;
using System.Globalization;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Routing.Api.Auth;
using Routing.Api.Infrastructure;
using Routing.Api.Orders;
using Routing.Contracts.Catalog;
using Routing.Contracts.Distributors;
using Routing.Contracts.Stock;

namespace Routing.Api.Stock;

/// <summary>One counted SKU.</summary>
public sealed record CountedLineDto(
    [property: Required, StringLength(Limits.MaxIdLength)] string Sku,
    [property: Range(0, Limits.MaxStockUnits)] int Counted);

/// <summary>A stocktake: what was counted, and when (on hand at that time is what it is compared with).</summary>
public sealed record StocktakeRequest(
    DateTimeOffset CountedAt,
    [property: Required, MinLength(1), MaxLength(Limits.MaxListItems), NoNullItems] IReadOnlyList<CountedLineDto> Lines);

/// <summary>Stocktakes (盘点) at a distributor: per line, expected is the ledger's on hand at <c>countedAt</c> (so sales
/// during the count are kept), the difference is applied to today's on hand (ledger Adjust), unless that would take on
/// hand below reserved: not applied, <c>needsReview</c> and a StocktakeShortfall alert.</summary>
public static class StocktakeEndpoints
{
    public static void MapStocktakeEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/distributors/{id}/stocktakes").WithTags("Stocktakes");

        group.MapPost("/", async Task<Results<Created<StocktakeView>, ProblemHttpResult>> (string id, StocktakeRequest body,
            [FromHeader(Name = OrderEndpoints.IdempotencyHeader)] string? idempotencyKey, HttpContext http, IGrainFactory grains, TimeProvider clock) =>
        {
            if (OrderEndpoints.CheckIdempotencyKey(idempotencyKey) is { } badKey) return badKey;
            if (body.CountedAt > clock.GetUtcNow())
                return Problems.Unprocessable("countedInFuture", "countedAt is when the count was made: not in the future");
            if (StockRequests.DuplicateSku(body.Lines.Select(l => l.Sku)) is { } twice) return twice;
            var catalog = grains.GetGrain<IProductCatalogGrain>(0);
            foreach (var line in body.Lines)
                if (await catalog.GetAsync(line.Sku) is null) return Problems.Unprocessable("unknownProduct", $"product '{line.Sku}' does not exist");

            var stocktakeId = OperationIds.Stocktake(id, idempotencyKey!);
            var fingerprint = $"{body.CountedAt.ToUniversalTime().ToString("O", CultureInfo.InvariantCulture)}|{string.Join(';', body.Lines.Select(l => $"{l.Sku}:{l.Counted}"))}";
            var result = await grains.GetGrain<IDistributorGrain>(id).StocktakeAsync(stocktakeId, body.CountedAt,
                [.. body.Lines.Select(l => new CountedLine(l.Sku, l.Counted))], fingerprint);
            if (result is null) return Problems.NotFound($"distributor '{id}' does not exist");
            if (result.Replayed && result.Stocktake.Fingerprint != fingerprint)
                return Problems.Unprocessable("idempotencyKeyReused", $"idempotency key already used for stocktake {stocktakeId} with other lines or another time");
            if (result.Replayed) http.Response.Headers["Idempotent-Replayed"] = "true";
            return TypedResults.Created($"/api/distributors/{id}/stocktakes/{stocktakeId}", result.Stocktake);
        }).OwnedBy(Owner.Distributor)
            .WithName("createStocktake").WithSummary("Apply a stocktake: counted against the ledger's on hand at countedAt, the difference applied today")
            .ProducesValidationProblem().ProducesProblemCodes(400, "idempotencyKeyRequired", "idempotencyKeyTooLong", "controlCharacters")
            .ProducesProblem(404).ProducesProblemCodes(422, "countedInFuture", "duplicateSku", "unknownProduct", "idempotencyKeyReused");

        group.MapGet("/", async Task<Results<Ok<IReadOnlyList<StocktakeView>>, ProblemHttpResult>> (string id, IGrainFactory grains) =>
        {
            var grain = grains.GetGrain<IDistributorGrain>(id);
            if (await grain.GetProfileAsync() is null) return Problems.NotFound($"distributor '{id}' does not exist");
            return TypedResults.Ok(await grain.GetStocktakesAsync());
        }).OwnedBy(Owner.Distributor)
            .WithName("listStocktakes").WithSummary("A distributor's latest stocktakes (up to 100), newest first").ProducesProblem(404);
    }
}
