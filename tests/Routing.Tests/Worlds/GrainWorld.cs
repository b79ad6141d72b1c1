using Routing.Contracts;
using Routing.Contracts.Campaigns;
using Routing.Contracts.Customers;
using Routing.Contracts.Distributors;
using Routing.Contracts.Orders;
using Routing.Contracts.Policies;
using Routing.Domain;

namespace Routing.Tests.Worlds;

/// <summary>A test's <see cref="WorldBuilder"/> world in a running cluster, built and read through the grains: what
/// the grain suite (two silos in memory) and the PostgreSQL suite (silos on PostgreSQL) share.</summary>
public class GrainWorld
{
    private readonly WorldBuilder _world;

    public GrainWorld(IRoutingCluster cluster)
    {
        Cluster = cluster;
        _world = new WorldBuilder(new GrainDoor(() => Grains));
    }

    /// <summary>The cluster the world lives in; a test that restarts the whole cluster points the world at the new one.</summary>
    public IRoutingCluster Cluster { get; set; }

    public IGrainFactory Grains => Cluster.Grains;

    public string Tag => _world.Tag;

    /// <summary>The SKU every campaign of this world sells.</summary>
    public string Sku => _world.Sku;

    /// <summary>The distributors created so far, in creation order.</summary>
    public IReadOnlyList<string> Distributors => _world.Distributors;

    /// <summary>The customers created so far, in creation order.</summary>
    public IReadOnlyList<string> Customers => _world.Customers;

    public IDistributorGrain Distributor(string id) => Grains.GetGrain<IDistributorGrain>(id);

    public ICampaignGrain Campaign(string id) => Grains.GetGrain<ICampaignGrain>(id);

    public IOrderGrain Order(string customerId, string idempotencyKey) => Grains.GetGrain<IOrderGrain>(OrderIds.For(customerId, idempotencyKey));

    /// <summary>A city distributor a kilometre or so further from the customers than the last, stocked with this world's SKU.</summary>
    public Task<string> DistributorAsync(int onHand, int threshold = 0, int dailyCapacity = 1_000_000) =>
        _world.DistributorAsync(onHand, threshold, dailyCapacity: dailyCapacity);

    public Task<string[]> CustomersAsync(int count) => _world.CustomersAsync(count);

    public Task<string> CustomerAsync() => _world.CustomerAsync();

    /// <summary>An open group-buy of this world's SKU among its distributors (so far); its id.</summary>
    public async Task<string> CampaignAsync(int cap, int perCustomerLimit, string policyId = RoutingPolicy.DefaultId,
        int minUnits = 1, DateTimeOffset? endsAt = null, int? paymentWindowSeconds = null) =>
        (await _world.CampaignAsync(cap, perCustomerLimit, minUnits, endsAt: endsAt, policyId: policyId, paymentWindowSeconds: paymentWindowSeconds)).Id;

    /// <summary>Stores the policy under an id of this world's.</summary>
    public async Task<RoutingPolicy> PolicyAsync(RoutingPolicy policy)
    {
        var named = policy with { Id = $"p-{Tag}-{policy.Id}" };
        Assert.Equal(UpsertResult.Created, await Grains.GetGrain<IRoutingPoliciesGrain>(0).SetAsync(named));
        return named;
    }

    public PlaceOrder PlaceOrder(string campaignId, string customerId, int quantity, string idempotencyKey) =>
        new(customerId, campaignId, [new OrderLine(Sku, quantity)], idempotencyKey);

    public Task<PlaceResult> OrderAsync(string campaignId, string customerId, int quantity, string idempotencyKey = "k-1") =>
        Grains.GetGrain<ICustomerGrain>(customerId).PlaceAsync(PlaceOrder(campaignId, customerId, quantity, idempotencyKey));

    /// <summary>Places an order, asking again (the same request) while the answer is
    /// <see cref="PlaceOutcome.SoldOut"/>: units another silo holds idle flow back to the campaign within a second or so.</summary>
    public Task<PlaceResult> OrderOnceUnitsFlowBackAsync(string campaignId, string customerId, int quantity, string idempotencyKey) =>
        Eventually.UntilAsync(() => OrderAsync(campaignId, customerId, quantity, idempotencyKey),
            r => r.Outcome != PlaceOutcome.SoldOut, $"campaign {campaignId} to have {quantity} unit(s) for {customerId}");

    /// <summary>This world's SKU at a distributor.</summary>
    public async Task<InventoryItem> StockAsync(string distributorId) =>
        Assert.Single(await Distributor(distributorId).GetInventoryAsync(), i => i.Sku == Sku);

    /// <summary>This world's SKU at each of its distributors.</summary>
    public async Task<Dictionary<string, InventoryItem>> InventoryAsync()
    {
        var result = new Dictionary<string, InventoryItem>(StringComparer.Ordinal);
        foreach (var d in Distributors) result[d] = await StockAsync(d);
        return result;
    }

    public async Task<CampaignView> CampaignViewAsync(string campaignId) =>
        await Campaign(campaignId).GetAsync() ?? throw new InvalidOperationException($"campaign {campaignId} does not exist");

    /// <summary>Waits until the campaign's units sold (reported by the silos' quota holders in batches) are as expected.</summary>
    public Task<CampaignView> CampaignSoldAsync(string campaignId, int sold) =>
        Eventually.UntilAsync(() => CampaignViewAsync(campaignId), v => v.Sold == sold, $"campaign {campaignId} to report {sold} sold");

    /// <summary>Waits until every silo routes with this world's distributors as they stand now (and with the policy, if
    /// given).</summary>
    public async Task UntilEverySiloRoutesWithCurrentStockAsync(string? policyId = null)
    {
        var available = (await InventoryAsync()).ToDictionary(i => i.Key, i => i.Value.Available, StringComparer.Ordinal);
        await Cluster.ReadModels.UntilRoutingWithAsync(Sku, available, policyId);
    }
}
