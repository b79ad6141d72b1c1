using Routing.Contracts;
using Routing.Contracts.Campaigns;
using Routing.Contracts.Catalog;
using Routing.Contracts.Customers;
using Routing.Contracts.Distributors;
using Routing.Contracts.Orders;
using Routing.Contracts.Policies;
using Routing.Domain;

namespace Routing.Tests.Grains;

/// <summary>One test's own corner of the shared cluster, around Wuhan: every id carries a unique prefix, the test
/// has its own SKU, and its campaigns name its own distributors as participants, so other tests' distributors
/// never take its orders (the distributor directory is global) and other tests' orders never take its stock.</summary>
internal sealed class Scenario(ClusterFixture cluster)
{
    /// <summary>Wuchang district; customers live here and distributors cover the whole city.</summary>
    public const string Region = "420106";
    public const string City = "4201";
    public static readonly GeoPoint Wuchang = new(30.55, 114.30);

    private readonly string _prefix = "t" + Guid.NewGuid().ToString("N")[..8];
    private readonly List<string> _distributors = [];
    private int _customers;
    private bool _productCreated;

    public IGrainFactory Grains => cluster.Client;

    /// <summary>The SKU every campaign of this scenario sells.</summary>
    public string Sku => $"{_prefix}-UREA-50";

    /// <summary>The distributors created so far, in creation order.</summary>
    public IReadOnlyList<string> Distributors => _distributors;

    public IDistributorGrain Distributor(string id) => Grains.GetGrain<IDistributorGrain>(id);

    public ICampaignGrain Campaign(string id) => Grains.GetGrain<ICampaignGrain>(id);

    public IOrderGrain Order(string customerId, string idempotencyKey) =>
        Grains.GetGrain<IOrderGrain>(OrderIds.For(customerId, idempotencyKey));

    /// <summary>A city distributor a few kilometres from the customers, stocked with this scenario's SKU.</summary>
    public async Task<string> DistributorAsync(int onHand, int threshold = 0, int dailyCapacity = 1_000_000)
    {
        var id = $"{_prefix}-d{_distributors.Count + 1:00}";
        var location = new GeoPoint(Wuchang.Lat + 0.01 * (_distributors.Count + 1), Wuchang.Lon);
        var profile = new DistributorProfile(id, $"Distributor {id}", [City], location, Priority: 1, dailyCapacity);
        Assert.Equal(UpsertResult.Created, await Distributor(id).UpsertProfileAsync(profile));
        Assert.Equal(StockUpdateOutcome.Updated, (await Distributor(id).SetStockAsync(Sku, onHand, threshold)).Outcome);
        _distributors.Add(id);
        return id;
    }

    public async Task<string[]> CustomersAsync(int count)
    {
        var ids = Enumerable.Range(0, count).Select(_ => $"{_prefix}-c{Interlocked.Increment(ref _customers):0000}").ToArray();
        var results = await Task.WhenAll(ids.Select(id => Grains.GetGrain<ICustomerGrain>(id).UpsertAsync(
            new CustomerProfile(id, $"Grower {id}", Region, Wuchang, HomeDistributorId: null, Kind: "household"))));
        Assert.All(results, r => Assert.Equal(UpsertResult.Created, r));
        return ids;
    }

    public async Task<string> CustomerAsync() => (await CustomersAsync(1))[0];

    /// <summary>An open group-buy of this scenario's SKU among this scenario's distributors (so far).</summary>
    public async Task<string> CampaignAsync(int cap, int perCustomerLimit, string policyId = RoutingPolicy.DefaultId)
    {
        await ProductAsync();
        var id = $"{_prefix}-gb{Guid.NewGuid().ToString("N")[..4]}";
        var now = DateTimeOffset.UtcNow;
        var definition = new CampaignDefinition(id, $"Spring group-buy {id}", Sku, Price: 118m, Tiers: [],
            StartsAt: now.AddHours(-1), EndsAt: now.AddHours(1), cap, perCustomerLimit, MinUnits: 1,
            Regions: ["42"], Distributors: [.. _distributors], policyId);
        Assert.Equal(UpsertResult.Created, await Campaign(id).CreateAsync(definition));
        return id;
    }

    public async Task<RoutingPolicy> PolicyAsync(RoutingPolicy policy)
    {
        var named = policy with { Id = $"{_prefix}-{policy.Id}" };
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
        Poll.UntilAsync(() => OrderAsync(campaignId, customerId, quantity, idempotencyKey),
            r => r.Outcome != PlaceOutcome.SoldOut, $"campaign {campaignId} to have {quantity} unit(s) for {customerId}");

    /// <summary>This scenario's SKU at a distributor.</summary>
    public async Task<InventoryItem> StockAsync(string distributorId) =>
        Assert.Single(await Distributor(distributorId).GetInventoryAsync(), i => i.Sku == Sku);

    public async Task<CampaignView> CampaignViewAsync(string campaignId) =>
        await Campaign(campaignId).GetAsync() ?? throw new InvalidOperationException($"campaign {campaignId} does not exist");

    /// <summary>Waits until the campaign's units sold (reported by the silos' quota holders in batches) are as expected.</summary>
    public Task<CampaignView> CampaignSoldAsync(string campaignId, int sold) =>
        Poll.UntilAsync(() => CampaignViewAsync(campaignId), v => v.Sold == sold, $"campaign {campaignId} to report {sold} sold");

    /// <summary>Waits until every silo routes with this scenario's distributors as they stand now (and with the
    /// policy, if given): order grains read silo-local caches that refresh within a fraction of a second.</summary>
    public async Task UntilEverySiloRoutesWithCurrentStockAsync(string? policyId = null)
    {
        var available = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var d in _distributors) available[d] = (await StockAsync(d)).Available;
        foreach (var readModel in cluster.ReadModels)
        {
            await Poll.UntilAsync(
                async () => await readModel.GetSnapshotsAsync(),
                snapshots => available.All(d => snapshots.Any(s => s.Id == d.Key && s.Available(Sku) == d.Value)),
                "every silo to route with this test's distributors and stock");
            if (policyId is not null)
                await Poll.UntilAsync(() => readModel.GetPolicyAsync(policyId), p => p?.Id == policyId, $"every silo to route with policy {policyId}");
        }
    }

    private async Task ProductAsync()
    {
        if (_productCreated) return;
        var result = await Grains.GetGrain<IProductCatalogGrain>(0).UpsertAsync(new Product(Sku, "Urea 50 kg", "bag", "fertilizer", []));
        Assert.Equal(UpsertResult.Created, result);
        _productCreated = true;
    }
}
