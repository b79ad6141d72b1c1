using Routing.Contracts.Campaigns;
using Routing.Contracts.Catalog;
using Routing.Contracts.Customers;
using Routing.Contracts.Distributors;

namespace Routing.Tests.Worlds;

/// <summary>How a <see cref="WorldBuilder"/> reaches the system: through the grains (<see cref="GrainDoor"/>) or through
/// the HTTP API (<see cref="HttpDoor"/>). Each call asserts that what it makes is new (stock: that it is set).</summary>
public interface IWorldDoor
{
    Task CreateProductAsync(Product product);
    Task CreateDistributorAsync(DistributorProfile profile);
    Task SetStockAsync(string distributorId, string sku, int onHand, int threshold);
    Task CreateCustomerAsync(CustomerProfile profile);
    Task CreateCampaignAsync(CampaignDefinition definition);
}
