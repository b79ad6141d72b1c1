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
    [property: MaxLength(Limits.MaxSubstitutes), EachItem(Limits.IdPattern)] IReadOnlyList<string>? Substitutes = null)
{
    /// <summary>What is wrong with the substitutes beyond their format (null: nothing): a product cannot substitute itself,
    /// and none is listed twice.</summary>
    public string? SubstituteProblem()
    {
        var substitutes = Substitutes ?? [];
        if (substitutes.Contains(Sku)) return "a product cannot substitute itself";
        return substitutes.Distinct().Count() != substitutes.Count ? "substitutes are listed twice" : null;
    }

    public Product ToProduct() => new(Sku, Name, Unit ?? "unit", Category, Substitutes ?? []);
}

public static class ProductEndpoints
{
    public static void MapProductEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/products").WithTags("Products");

        group.MapPost("/", async Task<Results<Created<Product>, Ok<Product>, ProblemHttpResult>> (ProductRequest body, IGrainFactory grains) =>
        {
            if (body.SubstituteProblem() is { } problem) return Problems.Unprocessable("invalidSubstitute", problem);
            var product = body.ToProduct();
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
