using System.Globalization;
using Routing.Contracts.Campaigns;
using Routing.Contracts.Catalog;
using Routing.Contracts.Customers;
using Routing.Contracts.Distributors;
using Routing.Domain;

namespace Routing.Api.Demo;

/// <summary>A realistic demo data set for the embedded default: distributors across Hubei province, fertiliser and
/// crop-protection products with substitutes, 1,200 customers and one live group-buy. Seeded before the app
/// reports ready; on by default with in-memory storage (<c>Demo:Seed</c>). Deterministic (fixed random seed).</summary>
public sealed partial class DemoData(IGrainFactory grains, IConfiguration configuration, TimeProvider clock, ILogger<DemoData> logger) : IHostedService
{
    public const string CampaignId = "gb-spring-urea";
    public const int DistributorCount = 24;
    public const int CustomerCount = 1200;

    /// <summary>Cities of Hubei: region code prefix and centre.</summary>
    private static readonly (string Code, string Name, double Lat, double Lon)[] Cities =
    [
        ("4201", "Wuhan", 30.59, 114.30),
        ("4202", "Huangshi", 30.20, 115.04),
        ("4205", "Yichang", 30.69, 111.29),
        ("4206", "Xiangyang", 32.01, 112.12),
        ("4210", "Jingzhou", 30.33, 112.24),
        ("4211", "Huanggang", 30.45, 114.87),
    ];

    private static readonly Product[] Products =
    [
        new("UREA-50", "Urea 46% N, 50 kg", "bag", "fertiliser", ["UREA-40"]),
        new("UREA-40", "Urea 46% N, 40 kg", "bag", "fertiliser", ["UREA-50"]),
        new("NPK-15-50", "Compound NPK 15-15-15, 50 kg", "bag", "fertiliser", ["NPK-15-40", "NPK-17-50"]),
        new("NPK-15-40", "Compound NPK 15-15-15, 40 kg", "bag", "fertiliser", ["NPK-15-50"]),
        new("NPK-17-50", "Compound NPK 17-17-17, 50 kg (new formula)", "bag", "fertiliser", []),
        new("DAP-50", "Diammonium phosphate 18-46-0, 50 kg", "bag", "fertiliser", ["NPK-15-50"]),
        new("KCL-50", "Potassium chloride 60%, 50 kg", "bag", "fertiliser", []),
        new("GLY-5L", "Glyphosate 41% SL, 5 L", "jug", "crop protection", ["GLY-1L"]),
        new("GLY-1L", "Glyphosate 41% SL, 1 L", "bottle", "crop protection", []),
        new("RICE-HY8", "Hybrid rice seed Y-8, 1 kg", "pack", "seed", []),
    ];

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var enabled = configuration.GetValue("Demo:Seed", configuration["Storage:Provider"] is null or "Memory");
        if (!enabled) return;
        var random = new Random(20261124);

        var catalog = grains.GetGrain<IProductCatalogGrain>(0);
        foreach (var product in Products) await catalog.UpsertAsync(product);

        var distributors = Enumerable.Range(1, DistributorCount).Select(i =>
        {
            var city = Cities[(i - 1) % Cities.Length];
            var regions = city.Code == "4201"
                ? new[] { $"4201{(i % 12) + 2:00}", $"4201{((i + 5) % 12) + 2:00}" } // Wuhan distributors cover two districts each
                : [city.Code];
            return new DistributorProfile($"d-{i:00}", $"{city.Name} Agri Supply {i}", regions,
                new GeoPoint(city.Lat + Jitter(random, 0.2), city.Lon + Jitter(random, 0.2)),
                Priority: 1 + (i % 3), DailyCapacity: 3000 + 500 * (i % 5));
        }).ToList();

        await Parallel.ForEachAsync(distributors, cancellationToken, async (d, _) =>
        {
            var grain = grains.GetGrain<IDistributorGrain>(d.Id);
            await grain.UpsertProfileAsync(d);
            var stockRandom = new Random(d.Id.GetHashCode(StringComparison.Ordinal) ^ 7);
            foreach (var product in Products)
                await grain.SetStockAsync(product.Sku, onHand: 300 + 100 * (int.Parse(d.Id[2..], CultureInfo.InvariantCulture) % 10) + 10 * (product.Sku.Length % 7), threshold: 150);
        });

        var customers = Enumerable.Range(1, CustomerCount).Select(i =>
        {
            var home = distributors[random.Next(distributors.Count)];
            var region = home.Regions[0].Length == 6 ? home.Regions[0] : $"{home.Regions[0]}{random.Next(2, 30):00}";
            var kind = (i % 10) switch { 0 => "large grower", 1 or 2 => "specialised household", _ => "household" };
            return new CustomerProfile($"c-{i:0000}", $"Grower {i}", region,
                new GeoPoint(home.Location.Lat + Jitter(random, 0.3), home.Location.Lon + Jitter(random, 0.3)),
                i % 4 == 0 ? null : home.Id, kind);
        }).ToList();
        await Parallel.ForEachAsync(customers, new ParallelOptions { MaxDegreeOfParallelism = 32, CancellationToken = cancellationToken },
            async (c, _) => await grains.GetGrain<ICustomerGrain>(c.Id).UpsertAsync(c));

        var now = clock.GetUtcNow();
        await grains.GetGrain<ICampaignGrain>(CampaignId).CreateAsync(new CampaignDefinition(CampaignId, "Spring urea group-buy 春耕尿素团购",
            "UREA-50", 118m, [new PriceTier(2000, 112m), new PriceTier(8000, 106m)],
            now.AddHours(-1), now.AddDays(7), Cap: 20000, PerCustomerLimit: 20, MinUnits: 500,
            Regions: ["42"], Distributors: [], PolicyId: RoutingPolicy.DefaultId));

        LogSeeded(logger, distributors.Count, Products.Length, customers.Count, CampaignId);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private static double Jitter(Random random, double range) => (random.NextDouble() - 0.5) * range;

    [LoggerMessage(Level = LogLevel.Information, Message = "Demo data: {Distributors} distributors, {Products} products, {Customers} customers, campaign {Campaign}")]
    private static partial void LogSeeded(ILogger logger, int distributors, int products, int customers, string campaign);
}
