using Routing.Domain;

namespace Routing.Tests.Routing;

/// <summary>Builders for routing scenarios in the tests' <see cref="Wuhan"/>: the customer is in Wuchang district, and
/// distributors cover the city unless a test says otherwise.</summary>
internal static class RoutingScenario
{
    public const string Region = Wuhan.District;
    public const string City = Wuhan.City;
    public const string Urea = "UREA-50";
    public const string Dap = "DAP-18";
    public const string Potash = "KCL-60";

    public static readonly GeoPoint Customer = new(30.5, 114.3);

    /// <summary>A point due north of the customer, <paramref name="km"/> kilometres away.</summary>
    public static GeoPoint North(double km) => new(Customer.Lat + km / 111.195, Customer.Lon);

    /// <summary>An active city distributor 10 km away, tier 2, 1000 units of capacity left today.</summary>
    public static DistributorSnapshot Distributor(string id, params (string Sku, int Available)[] stock) => new(
        id,
        Active: true,
        Regions: [City],
        Location: North(10),
        Priority: 2,
        DailyCapacity: 1000,
        LoadToday: 0,
        Stock: stock.ToDictionary(s => s.Sku, s => new StockLevel(s.Available, Threshold: 10)));

    public static RouteRequest Order(params OrderLine[] lines) =>
        new("SO-20240601-0001", Region, Customer, HomeDistributorId: null, lines);

    public static OrderLine Line(string sku, int quantity, string? group = null) => new(sku, quantity, group);

    public static RoutingPolicy Policy(
        SplitPolicy split = SplitPolicy.WholeOrder,
        bool homeFirst = true,
        double? maxDistanceKm = null,
        RankingWeights? weights = null,
        int maxSplits = 3,
        bool suggest = true,
        bool auto = false,
        FallbackAction fallback = FallbackAction.Reject) =>
        new("spring-campaign", homeFirst, maxDistanceKm, weights ?? new RankingWeights(), split, maxSplits, suggest, auto, fallback);

    public static RankingWeights Only(string factor) => factor switch
    {
        "priority" => new RankingWeights(Priority: 1, Distance: 0, Stock: 0, Load: 0),
        "distance" => new RankingWeights(Priority: 0, Distance: 1, Stock: 0, Load: 0),
        "stock" => new RankingWeights(Priority: 0, Distance: 0, Stock: 1, Load: 0),
        "load" => new RankingWeights(Priority: 0, Distance: 0, Stock: 0, Load: 1),
        _ => throw new ArgumentOutOfRangeException(nameof(factor)),
    };

    public static CandidateReport Report(AllocationPlan plan, string distributorId) =>
        plan.Explanation.Candidates.Single(c => c.DistributorId == distributorId);

    /// <summary>An explanation as JSON, to compare two by value (its findings hold lists, which records compare by reference).</summary>
    public static string Json(RoutingExplanation explanation) => System.Text.Json.JsonSerializer.Serialize(explanation);

    /// <summary>A whole plan as JSON (outcome, allocations, substitutions, suggestions, reason and explanation), to compare
    /// two by value.</summary>
    public static string Json(AllocationPlan plan) => System.Text.Json.JsonSerializer.Serialize(plan);

    public static IEnumerable<string> Ranked(AllocationPlan plan) =>
        plan.Explanation.Candidates.Where(c => c.Rank is not null).Select(c => c.DistributorId);
}
