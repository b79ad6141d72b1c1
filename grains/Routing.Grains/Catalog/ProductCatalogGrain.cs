using Routing.Contracts;
using Routing.Contracts.Catalog;
using Routing.Grains.Infrastructure;

namespace Routing.Grains.Catalog;

/// <summary>Persistent state of the product catalog.</summary>
[GenerateSerializer]
public sealed class CatalogState
{
    [Id(0)] public Dictionary<string, Product> Products { get; set; } = new(StringComparer.Ordinal);
}

/// <summary>The product catalog. Small and rarely written; routing reads it through <see cref="RoutingReadModel"/>.</summary>
public sealed class ProductCatalogGrain(
    [PersistentState("catalog", StorageNames.Routing)] IPersistentState<CatalogState> state) : Grain, IProductCatalogGrain
{
    public async Task<UpsertResult> UpsertAsync(Product product) => (await UpsertManyAsync([product]))[0];

    public async Task<IReadOnlyList<UpsertResult>> UpsertManyAsync(IReadOnlyList<Product> products)
    {
        var results = products.Select(Upsert).ToList();
        if (results.Any(r => r != UpsertResult.Unchanged)) await state.WriteStateAsync();
        return results;
    }

    private UpsertResult Upsert(Product product)
    {
        var existed = state.State.Products.TryGetValue(product.Sku, out var old);
        if (existed && old! with { Substitutes = product.Substitutes } == product && old.Substitutes.SequenceEqual(product.Substitutes))
            return UpsertResult.Unchanged;
        state.State.Products[product.Sku] = product;
        return existed ? UpsertResult.Updated : UpsertResult.Created;
    }

    public Task<Product?> GetAsync(string sku) =>
        Task.FromResult(state.State.Products.GetValueOrDefault(sku));

    public Task<IReadOnlyList<Product>> ListAsync() =>
        Task.FromResult<IReadOnlyList<Product>>(state.State.Products.Values.OrderBy(p => p.Sku, StringComparer.Ordinal).ToList());
}
