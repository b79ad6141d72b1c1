using System.Net;
using Routing.Contracts.Campaigns;
using Routing.Contracts.Catalog;
using Routing.Contracts.Customers;
using Routing.Contracts.Distributors;
using Routing.Tests.Api;

namespace Routing.Tests.Worlds;

/// <summary>Builds a world through the HTTP API as ops, with the bodies an integrator would send for the same records.</summary>
public sealed class HttpDoor(HttpClient ops) : IWorldDoor
{
    public async Task CreateProductAsync(Product product) =>
        (await ops.PostJsonAsync("/api/products", Body(product))).Expect(HttpStatusCode.Created);

    public async Task CreateDistributorAsync(DistributorProfile profile) =>
        (await ops.PostJsonAsync("/api/distributors", Body(profile))).Expect(HttpStatusCode.Created);

    public async Task SetStockAsync(string distributorId, string sku, int onHand, int threshold) =>
        (await ops.PutJsonAsync($"/api/distributors/{distributorId}/inventory/{sku}", new { onHand, threshold })).Expect(HttpStatusCode.OK);

    public async Task CreateCustomerAsync(CustomerProfile profile) =>
        (await ops.PostJsonAsync("/api/customers", Body(profile))).Expect(HttpStatusCode.Created);

    public async Task CreateCampaignAsync(CampaignDefinition definition) =>
        (await ops.PostJsonAsync("/api/campaigns", Body(definition))).Expect(HttpStatusCode.Created);

    public static Dictionary<string, object?> Body(Product p) => new()
    {
        ["sku"] = p.Sku, ["name"] = p.Name, ["unit"] = p.Unit, ["category"] = p.Category, ["substitutes"] = p.Substitutes,
    };

    public static Dictionary<string, object?> Body(DistributorProfile p) => new()
    {
        ["id"] = p.Id, ["name"] = p.Name, ["regions"] = p.Regions, ["location"] = new { lat = p.Location.Lat, lon = p.Location.Lon },
        ["priority"] = p.Priority, ["dailyCapacity"] = p.DailyCapacity, ["active"] = p.Active,
    };

    public static Dictionary<string, object?> Body(CustomerProfile p) => new()
    {
        ["id"] = p.Id, ["name"] = p.Name, ["region"] = p.Region, ["location"] = new { lat = p.Location.Lat, lon = p.Location.Lon },
        ["homeDistributorId"] = p.HomeDistributorId, ["kind"] = p.Kind, ["salesManagerId"] = p.SalesManagerId,
    };

    public static Dictionary<string, object?> Body(CampaignDefinition d) => new()
    {
        ["id"] = d.Id, ["name"] = d.Name, ["sku"] = d.Sku, ["price"] = d.Price,
        ["tiers"] = d.Tiers.Select(t => new { minUnits = t.MinUnits, price = t.Price }).ToArray(),
        ["startsAt"] = d.StartsAt, ["endsAt"] = d.EndsAt, ["cap"] = d.Cap, ["perCustomerLimit"] = d.PerCustomerLimit,
        ["minUnits"] = d.MinUnits, ["regions"] = d.Regions, ["distributors"] = d.Distributors, ["policy"] = d.PolicyId,
        ["paymentWindowSeconds"] = d.PaymentWindowSeconds,
    };
}
