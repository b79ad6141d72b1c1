using Routing.Contracts;
using Routing.Contracts.Campaigns;
using Routing.Contracts.Catalog;
using Routing.Contracts.Customers;
using Routing.Contracts.Distributors;

namespace Routing.Tests.Worlds;

/// <summary>Builds a world by calling the grains, as the API's endpoints do once a request is valid.</summary>
public sealed class GrainDoor(Func<IGrainFactory> grains) : IWorldDoor
{
    public async Task CreateProductAsync(Product product) =>
        Assert.Equal(UpsertResult.Created, await grains().GetGrain<IProductCatalogGrain>(0).UpsertAsync(product));

    public async Task CreateDistributorAsync(DistributorProfile profile) =>
        Assert.Equal(UpsertResult.Created, await grains().GetGrain<IDistributorGrain>(profile.Id).UpsertProfileAsync(profile));

    public async Task SetStockAsync(string distributorId, string sku, int onHand, int threshold) =>
        Assert.Equal(StockUpdateOutcome.Updated, (await grains().GetGrain<IDistributorGrain>(distributorId).SetStockAsync(sku, onHand, threshold)).Outcome);

    public async Task CreateCustomerAsync(CustomerProfile profile) =>
        Assert.Equal(UpsertResult.Created, await grains().GetGrain<ICustomerGrain>(profile.Id).UpsertAsync(profile));

    public async Task CreateCampaignAsync(CampaignDefinition definition) =>
        Assert.Equal(UpsertResult.Created, await grains().GetGrain<ICampaignGrain>(definition.Id).CreateAsync(definition));
}
