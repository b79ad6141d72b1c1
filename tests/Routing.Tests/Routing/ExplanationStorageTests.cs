using Microsoft.Extensions.DependencyInjection;
using Orleans.Serialization;
using Routing.Domain;
using static Routing.Tests.Routing.RoutingScenario;

namespace Routing.Tests.Routing;

/// <summary>The explanation is stored as codes and parameters, not sentences (its words are rendered when it is read):
/// its stored form must stay smaller than the same explanation stored in words, as it was before.</summary>
public sealed class ExplanationStorageTests
{
    private static readonly Serializer Serializer = new ServiceCollection().AddSerializer().BuildServiceProvider().GetRequiredService<Serializer>();

    [Theory]
    [InlineData(20)]
    [InlineData(200)]
    public void An_explanation_stored_as_codes_is_smaller_than_in_words(int distributors)
    {
        // A third out of stock, a quarter outside the territory (beyond the distance limit, with 200): notes of each kind.
        var candidates = Enumerable.Range(1, distributors).Select(i => Distributor($"d-{i:000}", (Urea, i % 3 == 0 ? 0 : 100 + i)) with
        {
            Regions = i % 4 == 0 ? ["4202"] : ["4201"],
            Location = North(i),
        }).ToArray();
        var plan = Router.Route(Order(Line(Urea, 3)) with { HomeDistributorId = "d-007" }, candidates, Policy(maxDistanceKm: 30));
        var x = plan.Explanation;
        var inWords = new ExplanationInWords(x.PolicyId, x.Split,
            [.. x.Candidates.Select(c => new CandidateInWords(c.DistributorId, c.Excluded, c.Detail, c.Score, c.Rank, c.DistanceKm, c.Home))],
            [.. x.Decisions.Select(d => d.Text)]);

        Assert.Contains(x.Candidates, c => c.Excluded is not null);
        Assert.True(Serializer.SerializeToArray(x).Length < Serializer.SerializeToArray(inWords).Length);
    }

    /// <summary>A candidate as it was stored before the explanation was coded: its detail in words.</summary>
    [GenerateSerializer]
    public sealed record CandidateInWords([property: Id(0)] string DistributorId, [property: Id(1)] ExclusionReason? Excluded,
        [property: Id(2)] string? Detail, [property: Id(3)] double? Score, [property: Id(4)] int? Rank, [property: Id(5)] double DistanceKm,
        [property: Id(6)] bool Home);

    [GenerateSerializer]
    public sealed record ExplanationInWords([property: Id(0)] string PolicyId, [property: Id(1)] SplitPolicy Split,
        [property: Id(2)] IReadOnlyList<CandidateInWords> Candidates, [property: Id(3)] IReadOnlyList<string> Decisions);
}
