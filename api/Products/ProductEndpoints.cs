using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Http.HttpResults;
using Routing.Api.Auth;
using Routing.Api.Infrastructure;
using Routing.Contracts;
using Routing.Contracts.Catalog;

namespace Routing.Api.Products;

/// <summary>Create or update a product. Substitutes are ranked, best first; they may name products not registered yet.</summary>
public sealed record ProductRequest(
    [property: Required, StringLength(Limits.MaxIdLength), RegularExpression(Limits.IdPattern)] string Sku,
    [property: Required, StringLength(Limits.MaxNameLength, MinimumLength = 1)] string Name,
    [property: StringLength(Limits.MaxCodeLength)] string? Unit = null,
    [property: StringLength(Limits.MaxNameLength)] string? Category = null,
    [property: MaxLength(Limits.MaxSubstitutes), EachItem(Limits.IdPattern)] IReadOnlyList<string>? Substitutes = null);

public static class ProductEndpoints
{
    public static void MapProductEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/products").WithTags("Products");

        group.MapPost("/", async Task<Results<Created<Product>, Ok<Product>, ProblemHttpResult>> (ProductRequest body, IGrainFactory grains) =>
        {
            var substitutes = body.Substitutes ?? [];
            if (substitutes.Contains(body.Sku)) return Problems.Unprocessable("invalidSubstitute", "a product cannot substitute itself");
            if (substitutes.Distinct().Count() != substitutes.Count) return Problems.Unprocessable("invalidSubstitute", "substitutes are listed twice");
            var product = new Product(body.Sku, body.Name, body.Unit ?? "unit", body.Category, substitutes);
            var result = await grains.GetGrain<IProductCatalogGrain>(0).UpsertAsync(product);
            return result == UpsertResult.Created ? TypedResults.Created($"/api/products/{body.Sku}", product) : TypedResults.Ok(product);
        }).RequireAuthorization(Roles.Ops)
            .WithName("upsertProduct").WithSummary("Create or update a product").ProducesValidationProblem()
            .ProducesProblemCodes(422, "invalidSubstitute");

        // Products by SKU, one page at a time.
        group.MapGet("/", async Task<Results<Ok<List<Product>>, ProblemHttpResult>> (int? page, int? pageSize, HttpContext http, IGrainFactory grains) =>
        {
            if (Paging.Check(page, pageSize) is { } badPaging) return badPaging;
            var products = (await grains.GetGrain<IProductCatalogGrain>(0).ListAsync()).OrderBy(p => p.Sku, StringComparer.Ordinal).ToList();
            return TypedResults.Ok(Paging.Page(http, products, page, pageSize));
        })
            .WithName("listProducts").WithSummary("List the products, by SKU").Paged();

        group.MapGet("/{sku}", async Task<Results<Ok<Product>, ProblemHttpResult>> (string sku, IGrainFactory grains) =>
            await grains.GetGrain<IProductCatalogGrain>(0).GetAsync(sku) is { } product
                ? TypedResults.Ok(product)
                : Problems.NotFound($"product '{sku}' does not exist"))
            .WithName("getProduct").WithSummary("Get a product with its ranked substitutes").ProducesProblem(404);
    }
}
