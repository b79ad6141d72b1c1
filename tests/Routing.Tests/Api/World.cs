using System.Net;
using System.Text.Json.Nodes;
using Routing.Grains.Campaigns;
using Routing.Grains.Infrastructure;

namespace Routing.Tests.Api;

/// <summary>One test's own corner of the shared host, created through the public API with ids unique to the test:
/// a product, two distributors covering Wuhan (4201), a customer of each, and an open group-buy both serve.
/// The SKU is unique too, so no other test's distributor ever holds stock an order here could be routed to.</summary>
public sealed class World
{
    public const string City = "4201";
    public const string District = "420106";

    private World(ApiFactory api)
    {
        Api = api;
        Tag = Guid.NewGuid().ToString("N")[..8];
        StartsAt = DateTimeOffset.UtcNow.AddHours(-1);
        StartsAt = StartsAt.AddTicks(-(StartsAt.Ticks % TimeSpan.TicksPerSecond));
        EndsAt = StartsAt.AddDays(2);
    }

    public ApiFactory Api { get; }
    public string Tag { get; }
    public string Sku => $"UREA-{Tag}";
    /// <summary>Near the customers, tier 1: home of customer X.</summary>
    public string DistributorA => $"d-{Tag}-a";
    /// <summary>Further away, tier 2: home of customer Y.</summary>
    public string DistributorB => $"d-{Tag}-b";
    public string CustomerX => $"c-{Tag}-x";
    public string CustomerY => $"c-{Tag}-y";
    public string Campaign => $"gb-{Tag}";
    public DateTimeOffset StartsAt { get; }
    public DateTimeOffset EndsAt { get; }
    public const int Cap = 1000;
    public const int PerCustomerLimit = 50;

    public HttpClient Ops { get; private set; } = null!;

    /// <summary>Creates the world; every creation must answer 201.</summary>
    public static async Task<World> CreateAsync(ApiFactory api, int stockA = 100, int stockB = 100, int threshold = 10)
    {
        var world = new World(api) { Ops = api.Ops() };
        var ops = world.Ops;
        (await ops.PostJsonAsync("/api/products", world.ProductBody())).Expect(HttpStatusCode.Created);
        (await ops.PostJsonAsync("/api/distributors", DistributorBody(world.DistributorA, 30.55, 114.30, priority: 1))).Expect(HttpStatusCode.Created);
        (await ops.PostJsonAsync("/api/distributors", DistributorBody(world.DistributorB, 30.70, 114.40, priority: 2))).Expect(HttpStatusCode.Created);
        await world.SetStockAsync(world.DistributorA, stockA, threshold);
        await world.SetStockAsync(world.DistributorB, stockB, threshold);
        (await ops.PostJsonAsync("/api/customers", CustomerBody(world.CustomerX, world.DistributorA))).Expect(HttpStatusCode.Created);
        (await ops.PostJsonAsync("/api/customers", CustomerBody(world.CustomerY, world.DistributorB))).Expect(HttpStatusCode.Created);
        (await ops.PostJsonAsync("/api/campaigns", world.CampaignBody())).Expect(HttpStatusCode.Created);
        // Routing reads distributor snapshots from a silo-local cache up to SnapshotTtl old: an order placed sooner
        // would not see the new distributors at all (and be rejected), so a world is ready once that cache has turned.
        await Task.Delay(RoutingReadModel.SnapshotTtl * 2);
        return world;
    }

    public object ProductBody() => new { sku = Sku, name = $"Urea 46% N, 50 kg ({Tag})", unit = "bag", substitutes = new[] { $"UREA-{Tag}-40" } };

    public static object DistributorBody(string id, double lat, double lon, int priority) => new
    {
        id,
        name = $"Distributor {id}",
        regions = new[] { City },
        location = new { lat, lon },
        priority,
        dailyCapacity = 5000,
    };

    public static object CustomerBody(string id, string? homeDistributorId) => new
    {
        id,
        name = $"Grower {id}",
        region = District,
        location = new { lat = 30.54, lon = 114.31 },
        homeDistributorId,
    };

    public Dictionary<string, object?> CampaignBody(int cap = Cap) => new()
    {
        ["id"] = Campaign,
        ["sku"] = Sku,
        ["price"] = 118.0m,
        ["startsAt"] = StartsAt,
        ["endsAt"] = EndsAt,
        ["cap"] = cap,
        ["perCustomerLimit"] = PerCustomerLimit,
        ["minUnits"] = 10,
        ["distributors"] = new[] { DistributorA, DistributorB },
    };

    public async Task SetStockAsync(string distributorId, int onHand, int threshold) =>
        (await Ops.PutJsonAsync($"/api/distributors/{distributorId}/inventory/{Sku}", new { onHand, threshold })).Expect(HttpStatusCode.OK);

    public HttpClient AsCustomer(string customerId) => Api.AsCustomer(customerId);
    public HttpClient AsDistributor(string distributorId) => Api.AsDistributor(distributorId);

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

    /// <summary>Waits past a campaign quota report: a sale counted by mistake would show in <c>sold</c> after it.</summary>
    public static Task PastAQuotaReportAsync() => Task.Delay(CampaignQuotaGrain.ReportInterval * 2);

    /// <summary>Waits until the campaign reports <paramref name="sold"/> (quota holders report sales in batches).</summary>
    public Task<JsonObject> CampaignSoldAsync(int sold) =>
        Http.EventuallyAsync(CampaignAsync, c => (int)c["sold"]! == sold, $"campaign {Campaign} sold {sold}");
}
