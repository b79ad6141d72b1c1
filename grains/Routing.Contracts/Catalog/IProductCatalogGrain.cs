namespace Routing.Contracts.Catalog;

/// <summary>The product catalog: one grain (key 0), small and rarely written.</summary>
public interface IProductCatalogGrain : IGrainWithIntegerKey
{
    Task<UpsertResult> UpsertAsync(Product product);

    [ReadOnly] Task<Product?> GetAsync(string sku);

    [ReadOnly] Task<IReadOnlyList<Product>> ListAsync();
}
