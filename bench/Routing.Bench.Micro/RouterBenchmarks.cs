using BenchmarkDotNet.Attributes;
using Routing.Domain;

namespace Routing.Bench.Micro;

/// <summary>One campaign order routed against 10 / 100 / 1,000 candidate distributors, all in the customer's territory
/// and stocked (the flash-sale hot path: every candidate is scored and ranked), under whole-order routing with home
/// first (the default policy) and with home first off (the full ranking decides).</summary>
[MemoryDiagnoser]
public class RouterBenchmarks
{
    private RouteRequest _request = null!;
    private DistributorSnapshot[] _candidates = [];
    private readonly RoutingPolicy _default = RoutingPolicy.Default;
    private readonly RoutingPolicy _ranked = RoutingPolicy.Default with { Id = "ranked", HomeFirst = false };

    [Params(10, 100, 1_000)]
    public int Candidates { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(42);
        _candidates = [.. Enumerable.Range(0, Candidates).Select(i => new DistributorSnapshot(
            $"d-{i:0000}", true, ["4201"], new GeoPoint(30.59 + (random.NextDouble() - 0.5), 114.30 + (random.NextDouble() - 0.5)),
            1 + i % 3, 100_000, random.Next(0, 50_000),
            new Dictionary<string, StockLevel> { ["UREA-50"] = new(random.Next(100, 10_000), 50) }))];
        _request = new RouteRequest("o-1", "420106", new GeoPoint(30.55, 114.30), $"d-{Candidates / 2:0000}",
            [new OrderLine("UREA-50", 3)]);
    }

    [Benchmark(Baseline = true)]
    public AllocationPlan HomeFirst() => Router.Route(_request, _candidates, _default);

    [Benchmark]
    public AllocationPlan FullRanking() => Router.Route(_request, _candidates, _ranked);
}
