using Routing.Contracts.Campaigns;
using Routing.Contracts.Catalog;
using Routing.Contracts.Customers;
using Routing.Contracts.Distributors;
using Routing.Domain;

namespace Routing.Tests.Worlds;

/// <summary>One test's world in <see cref="Wuhan"/>, the same whichever door builds it: a product, distributors covering
/// the city with stock of it, customers in Wuchang district, and group-buys of it among those distributors. Every id
/// carries the world's tag and the SKU is the world's own, so tests sharing a cluster or a host never route to, or take
/// stock from, each other's distributors (the distributor directory is global), and a campaign names its own
/// distributors as participants.</summary>
public sealed class WorldBuilder(IWorldDoor door, string? tag = null)
{
    private readonly List<string> _distributors = [];
    private readonly Dictionary<string, DistributorProfile> _profiles = new(StringComparer.Ordinal);
    private readonly List<string> _customers = [];
    private int _campaigns;
    private Product? _product;

    public string Tag { get; } = tag ?? Guid.NewGuid().ToString("N")[..8];

    /// <summary>The SKU every campaign of this world sells.</summary>
    public string Sku => $"UREA-{Tag}";

    /// <summary>The distributors created so far, in creation order.</summary>
    public IReadOnlyList<string> Distributors => _distributors;

    /// <summary>The customers created so far, in creation order.</summary>
    public IReadOnlyList<string> Customers => _customers;

    /// <summary>The distributor as it was created.</summary>
    public DistributorProfile Profile(string distributorId) => _profiles[distributorId];

    /// <summary>This world's product, created on first use (a campaign needs it).</summary>
    public async Task<Product> ProductAsync(string? name = null, IReadOnlyList<string>? substitutes = null)
    {
        if (_product is not null) return _product;
        var product = new Product(Sku, name ?? $"Urea 46% N, 50 kg ({Tag})", "bag", "fertiliser", substitutes ?? []);
        await door.CreateProductAsync(product);
        return _product = product;
    }

    /// <summary>A distributor of the whole city, by default a kilometre further north of Wuchang than the one before,
    /// stocked with this world's SKU.</summary>
    public async Task<string> DistributorAsync(int onHand, int threshold = 0, int priority = 1, GeoPoint? location = null,
        int dailyCapacity = 1_000_000)
    {
        var n = _distributors.Count + 1;
        var id = $"d-{Tag}-{n:00}";
        var profile = DistributorProfile(id, location ?? new GeoPoint(Wuhan.Wuchang.Lat + 0.01 * n, Wuhan.Wuchang.Lon), priority, dailyCapacity);
        await door.CreateDistributorAsync(profile);
        await door.SetStockAsync(id, Sku, onHand, threshold);
        _distributors.Add(id);
        _profiles[id] = profile;
        return id;
    }

    /// <summary>A distributor of the whole city as this world makes them, not created.</summary>
    public static DistributorProfile DistributorProfile(string id, GeoPoint location, int priority, int dailyCapacity) =>
        new(id, $"Distributor {id}", [Wuhan.City], location, priority, dailyCapacity);

    /// <summary>Growers living in Wuchang district (at its centre unless placed elsewhere), created together; looked after
    /// by <paramref name="salesManagerId"/> if given.</summary>
    public async Task<string[]> CustomersAsync(int count, string? homeDistributorId = null, GeoPoint? location = null, string? salesManagerId = null)
    {
        var first = _customers.Count + 1;
        var profiles = Enumerable.Range(first, count)
            .Select(n => CustomerProfile($"c-{Tag}-{n:0000}", homeDistributorId, location ?? Wuhan.Wuchang, salesManagerId)).ToList();
        _customers.AddRange(profiles.Select(p => p.Id));
        await Task.WhenAll(profiles.Select(door.CreateCustomerAsync));
        return [.. profiles.Select(p => p.Id)];
    }

    /// <summary>A grower of Wuchang district as this world makes them, not created.</summary>
    public static CustomerProfile CustomerProfile(string id, string? homeDistributorId, GeoPoint location, string? salesManagerId = null) =>
        new(id, $"Grower {id}", Wuhan.District, location, homeDistributorId, "household", salesManagerId);

    public async Task<string> CustomerAsync(string? homeDistributorId = null, GeoPoint? location = null, string? salesManagerId = null) =>
        (await CustomersAsync(1, homeDistributorId, location, salesManagerId))[0];

    /// <summary>A group-buy of this world's SKU among its distributors so far, open to the province, open from an hour
    /// ago (unless it starts otherwise) for an hour (unless it ends otherwise); with a payment deadline if given.</summary>
    public async Task<CampaignDefinition> CampaignAsync(int cap, int perCustomerLimit, int minUnits = 1,
        DateTimeOffset? startsAt = null, DateTimeOffset? endsAt = null, string policyId = RoutingPolicy.DefaultId,
        int? paymentWindowSeconds = null)
    {
        await ProductAsync();
        var id = $"gb-{Tag}-{++_campaigns}";
        var now = DateTimeOffset.UtcNow;
        var definition = new CampaignDefinition(id, $"Group-buy {id}", Sku, Price: 118.0m, Tiers: [],
            StartsAt: startsAt ?? now.AddHours(-1), EndsAt: endsAt ?? now.AddHours(1), cap, perCustomerLimit, minUnits,
            Regions: [Wuhan.Province], Distributors: [.. _distributors], policyId, paymentWindowSeconds);
        await door.CreateCampaignAsync(definition);
        return definition;
    }
}
