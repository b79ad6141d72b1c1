using System.Net;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Routing.Contracts.Campaigns;
using Routing.Domain;
using Routing.Grains.Infrastructure;

namespace Routing.Tests.Api;

/// <summary>One test's corner of a shared host: a <see cref="WorldBuilder"/> world made through the public API
/// (<see cref="HttpDoor"/>) in one shape, a product, two distributors covering Wuhan, a customer of each (each looked
/// after by a sales manager of its own when asked for), and an open group-buy both serve; plus what the API tests read
/// and send. The SKU is the world's own, so no other test's
/// distributor ever holds stock an order here could be routed to.</summary>
public sealed class World
{
    public const int Cap = 1000;
    public const int PerCustomerLimit = 50;
    private const int DailyCapacity = 5000;
    /// <summary>Where the world's customers live: in Wuchang, nearer A than B.</summary>
    private static readonly GeoPoint Near = new(30.54, 114.31);

    private readonly HttpDoor _door;
    private readonly WorldBuilder _world;
    private CampaignDefinition _campaign = null!;

    private World(ApiFactory api)
    {
        Api = api;
        Ops = api.Ops();
        _door = new HttpDoor(Ops);
        _world = new WorldBuilder(_door);
        StartsAt = DateTimeOffset.UtcNow.AddHours(-1);
        StartsAt = StartsAt.AddTicks(-(StartsAt.Ticks % TimeSpan.TicksPerSecond)); // as it reads back from JSON
        EndsAt = StartsAt.AddDays(2);
    }

    /// <summary>The same world reached through another host on the same storage (a restarted API): reads and orders go
    /// there; creating more of it still goes through the first.</summary>
    private World(ApiFactory api, World same)
    {
        Api = api;
        Ops = api.Ops();
        _door = new HttpDoor(Ops);
        _world = same._world;
        _campaign = same._campaign;
        StartsAt = same.StartsAt;
        EndsAt = same.EndsAt;
    }

    /// <summary>This world as another host on the same storage sees it.</summary>
    public World On(ApiFactory api) => new(api, this);

    public ApiFactory Api { get; }
    public HttpClient Ops { get; }
    public string Tag => _world.Tag;
    public string Sku => _world.Sku;
    /// <summary>Near the customers, tier 1: home of customer X.</summary>
    public string DistributorA => _world.Distributors[0];
    /// <summary>Further away, tier 2: home of customer Y.</summary>
    public string DistributorB => _world.Distributors[1];
    public string CustomerX => _world.Customers[0];
    public string CustomerY => _world.Customers[1];
    /// <summary>Customer X's sales manager, in a world created with sales managers.</summary>
    public string SalesManagerX => $"s-{Tag}-x";
    /// <summary>Customer Y's sales manager, in a world created with sales managers.</summary>
    public string SalesManagerY => $"s-{Tag}-y";
    public string Campaign => _campaign.Id;
    public DateTimeOffset StartsAt { get; }
    public DateTimeOffset EndsAt { get; }

    /// <summary>Creates the world (every creation must answer 201) and returns once routing sees its distributors. With
    /// <paramref name="salesManagers"/>, X is looked after by <see cref="SalesManagerX"/> and Y by <see cref="SalesManagerY"/>.</summary>
    public static async Task<World> CreateAsync(ApiFactory api, int stockA = 100, int stockB = 100, int threshold = 10, bool salesManagers = false)
    {
        var world = new World(api);
        var builder = world._world;
        await builder.ProductAsync(substitutes: [$"UREA-{builder.Tag}-40"]);
        var a = await builder.DistributorAsync(stockA, threshold, priority: 1, location: new GeoPoint(30.55, 114.30), dailyCapacity: DailyCapacity);
        var b = await builder.DistributorAsync(stockB, threshold, priority: 2, location: new GeoPoint(30.70, 114.40), dailyCapacity: DailyCapacity);
        await builder.CustomerAsync(homeDistributorId: a, location: Near, salesManagerId: salesManagers ? world.SalesManagerX : null);
        await builder.CustomerAsync(homeDistributorId: b, location: Near, salesManagerId: salesManagers ? world.SalesManagerY : null);
        world._campaign = await builder.CampaignAsync(Cap, PerCustomerLimit, minUnits: 10, startsAt: world.StartsAt, endsAt: world.EndsAt);
        await new[] { api.Services.GetRequiredService<RoutingReadModel>() } // one silo
            .UntilRoutingWithAsync(world.Sku, new Dictionary<string, int> { [a] = stockA, [b] = stockB });
        return world;
    }

    /// <summary>More growers of this world, without a home distributor.</summary>
    public Task<string[]> CustomersAsync(int count) => _world.CustomersAsync(count);

    /// <summary>A distributor of this world as it was created.</summary>
    public Dictionary<string, object?> DistributorBody(string id) => HttpDoor.Body(_world.Profile(id));

    /// <summary>A distributor of the city shaped like this world's, not created.</summary>
    public static Dictionary<string, object?> DistributorBody(string id, double lat, double lon, int priority) =>
        HttpDoor.Body(WorldBuilder.DistributorProfile(id, new GeoPoint(lat, lon), priority, DailyCapacity));

    /// <summary>A grower near this world's distributors, homed at <paramref name="homeDistributorId"/> and looked after by
    /// <paramref name="salesManagerId"/>, not created (or, with a customer's id, that customer as it would be updated).</summary>
    public static Dictionary<string, object?> CustomerBody(string id, string? homeDistributorId, string? salesManagerId = null) =>
        HttpDoor.Body(WorldBuilder.CustomerProfile(id, homeDistributorId, Near, salesManagerId));

    /// <summary>The campaign's body as it was created, with another cap if given.</summary>
    public Dictionary<string, object?> CampaignBody(int cap = Cap) => HttpDoor.Body(_campaign with { Cap = cap });

    public Task SetStockAsync(string distributorId, int onHand, int threshold) => _door.SetStockAsync(distributorId, Sku, onHand, threshold);

    public HttpClient AsCustomer(string customerId) => Api.AsCustomer(customerId);
    public HttpClient AsDistributor(string distributorId) => Api.AsDistributor(distributorId);
    public HttpClient AsSales(string salesId) => Api.AsSales(salesId);

    /// <summary>Places a campaign order as <paramref name="customerId"/>.</summary>
    public Task<Reply> OrderAsync(string customerId, int quantity, string? idempotencyKey = null) =>
        AsCustomer(customerId).PostJsonAsync($"/api/campaigns/{Campaign}/orders", new { quantity }, idempotencyKey ?? Guid.NewGuid().ToString());

    /// <summary>This world's SKU at a distributor, as ops read it.</summary>
    public async Task<JsonObject> StockAsync(string distributorId)
    {
        var items = (await Ops.GetJsonAsync($"/api/distributors/{distributorId}/inventory")).Expect(HttpStatusCode.OK).AsArray();
        return items.Single(i => (string?)i!["sku"] == Sku)!.AsObject();
    }

    /// <summary>Units of this world's SKU reserved at both distributors together.</summary>
    public async Task<int> ReservedAsync() =>
        (int)(await StockAsync(DistributorA))["reserved"]! + (int)(await StockAsync(DistributorB))["reserved"]!;

    public async Task<JsonObject> CampaignAsync() =>
        (await Ops.GetJsonAsync($"/api/campaigns/{Campaign}")).Expect(HttpStatusCode.OK).AsObject();

    /// <summary>Has the host's quota holder of the campaign report now what it would report on its next timer tick:
    /// after this, a sale counted by mistake shows in <c>sold</c>. (The host has one silo, so one holder.)</summary>
    public Task SettleQuotaAsync() => Api.Services.GetRequiredService<IGrainFactory>().GetGrain<ICampaignQuotaGrain>(Campaign).SettleAsync();

    /// <summary>Waits until the campaign reports <paramref name="sold"/> (quota holders report sales in batches).</summary>
    public Task<JsonObject> CampaignSoldAsync(int sold) =>
        Eventually.UntilAsync(CampaignAsync, c => (int)c["sold"]! == sold, $"campaign {Campaign} to report {sold} sold");
}
