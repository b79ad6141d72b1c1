namespace Routing.Bench.Scenarios;

/// <summary>The shape of a scenario: how many distributors, SKUs (one campaign each), customers, and how much stock.</summary>
public sealed record ScenarioSpec(
    string Name, string Description, int Distributors, int Skus, int Customers, int StockPerSku, int PerCustomerLimit, int MaxQuantity)
{
    public const string HotSkuName = "hot-sku";
    public const string SpreadName = "spread";

    /// <summary>A flash sale: one campaign, one SKU, 20 distributors, 10,000 customers.</summary>
    public static ScenarioSpec HotSku(double scale = 1) => new(HotSkuName, "one campaign, one SKU, 20 distributors, 10,000 customers",
        Scaled(20, scale, 3), 1, Scaled(10_000, scale, 50), 5_000_000, 100_000, 3);

    /// <summary>Business as usual: 200 distributors × 50 SKUs, a campaign per SKU.</summary>
    public static ScenarioSpec Spread(double scale = 1) => new(SpreadName, "200 distributors × 50 SKUs, 50 campaigns, 10,000 customers",
        Scaled(200, scale, 6), Scaled(50, scale, 3), Scaled(10_000, scale, 50), 1_000_000, 100_000, 3);

    public static ScenarioSpec ByName(string name, double scale = 1) => name switch
    {
        HotSkuName => HotSku(scale),
        SpreadName => Spread(scale),
        _ => throw new ArgumentException($"unknown scenario '{name}' (use {HotSkuName} or {SpreadName})"),
    };

    private static int Scaled(int n, double scale, int min) => Math.Max(min, (int)Math.Round(n * scale));
}

/// <summary>A distributor of a scenario: territory (a city code), location, and the city it serves.</summary>
public sealed record BenchDistributor(string Id, string Region, double Lat, double Lon, int Priority);

/// <summary>A customer of a scenario with its home distributor (归属) in its own city.</summary>
public sealed record BenchCustomer(string Id, string Region, double Lat, double Lon, string HomeDistributorId);

/// <summary>A campaign of a scenario, on one SKU.</summary>
public sealed record BenchCampaign(string Id, string Sku);

/// <summary>The concrete data of a scenario, deterministic for a given spec and run id.</summary>
public sealed class ScenarioData
{
    private static readonly (string Code, double Lat, double Lon)[] Cities =
    [
        ("4201", 30.59, 114.30), ("4202", 30.20, 115.04), ("4205", 30.69, 111.29),
        ("4206", 32.01, 112.12), ("4210", 30.33, 112.24), ("4211", 30.45, 114.87),
    ];

    private ScenarioData(ScenarioSpec spec, string prefix)
    {
        Spec = spec;
        var random = new Random(20261124);
        // Every city served has a distributor, even in a scaled-down scenario, so every customer has a home.
        var cities = Cities[..Math.Min(Cities.Length, spec.Distributors)];
        Distributors = Enumerable.Range(0, spec.Distributors).Select(i =>
        {
            var city = cities[i % cities.Length];
            return new BenchDistributor($"{prefix}-d{i:000}", city.Code, city.Lat + Jitter(random), city.Lon + Jitter(random), 1 + i % 3);
        }).ToList();
        Skus = Enumerable.Range(0, spec.Skus).Select(i => $"{prefix}-SKU{i:00}").ToList();
        Campaigns = Skus.Select((sku, i) => new BenchCampaign($"{prefix}-gb{i:00}", sku)).ToList();
        Customers = Enumerable.Range(0, spec.Customers).Select(i =>
        {
            var city = cities[i % cities.Length];
            var local = Distributors.Where(d => d.Region == city.Code).ToList();
            var home = local[i / cities.Length % local.Count];
            return new BenchCustomer($"{prefix}-c{i:00000}", $"{city.Code}{1 + i % 9:00}", city.Lat + Jitter(random), city.Lon + Jitter(random), home.Id);
        }).ToList();
    }

    public ScenarioSpec Spec { get; }
    public IReadOnlyList<BenchDistributor> Distributors { get; }
    public IReadOnlyList<string> Skus { get; }
    public IReadOnlyList<BenchCampaign> Campaigns { get; }
    public IReadOnlyList<BenchCustomer> Customers { get; }

    /// <summary>Enough cap that a run measures selling, not refusing: the cap is all the stock there is.</summary>
    public int CampaignCap => (int)Math.Min(100_000_000L, (long)Spec.StockPerSku * Spec.Distributors);

    /// <summary>Ids carry a per-run prefix, so runs against a long-lived target never meet each other's data.</summary>
    public static ScenarioData Create(ScenarioSpec spec, string runId) =>
        new(spec, $"{(spec.Name == ScenarioSpec.HotSkuName ? "h" : "s")}{runId}");

    private static double Jitter(Random random) => (random.NextDouble() - 0.5) * 0.3;
}
