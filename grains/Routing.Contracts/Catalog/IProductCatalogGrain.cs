namespace Routing.Contracts.Catalog;

/// <summary>The product catalog: one grain (key 0), small and rarely written.</summary>
public interface IProductCatalogGrain : IGrainWithIntegerKey
{
    Task<UpsertResult> UpsertAsync(Product product);

    /// <summary>Upserts many products with one write (a SAP import), each answered as <see cref="UpsertAsync"/> would.</summary>
    Task<IReadOnlyList<UpsertResult>> UpsertManyAsync(IReadOnlyList<Product> products);

    [ReadOnly] Task<Product?> GetAsync(string sku);

    [ReadOnly] Task<IReadOnlyList<Product>> ListAsync();
}
