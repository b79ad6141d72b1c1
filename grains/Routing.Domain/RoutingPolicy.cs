namespace Routing.Domain;

/// <summary>How an order may be divided between distributors.</summary>
public enum SplitPolicy
{
    /// <summary>整单: one distributor fills every line.</summary>
    WholeOrder,
    /// <summary>分组: the lines of a group stay together; different groups may go to different distributors.</summary>
    ByLineGroup,
    /// <summary>A line may be split across at most <see cref="RoutingPolicy.MaxSplits"/> distributors.</summary>
    SplitQuantity,
}

/// <summary>What happens to an order that no eligible distributor can fill (after substitutes).</summary>
public enum FallbackAction
{
    Reject,
    Backorder,
    ManualReview,
}

/// <summary>Weights of the ranking score; each factor is normalised to [0, 1] before weighting.</summary>
[GenerateSerializer, Immutable]
public sealed record RankingWeights(
    [property: Id(0)] double Priority = 0.4,
    [property: Id(1)] double Distance = 0.3,
    [property: Id(2)] double Stock = 0.2,
    [property: Id(3)] double Load = 0.1);

/// <summary>A routing policy: data, editable at run time, chosen per campaign.</summary>
[GenerateSerializer, Immutable]
public sealed record RoutingPolicy(
    [property: Id(0)] string Id,
    [property: Id(1)] bool HomeFirst = true,
    [property: Id(2)] double? MaxDistanceKm = null,
    [property: Id(3)] RankingWeights? Weights = null,
    [property: Id(4)] SplitPolicy Split = SplitPolicy.WholeOrder,
    [property: Id(5)] int MaxSplits = 3,
    [property: Id(6)] bool SuggestSubstitutes = true,
    [property: Id(7)] bool AutoSubstitute = false,
    [property: Id(8)] FallbackAction Fallback = FallbackAction.Reject)
{
    public const string DefaultId = "default";

    /// <summary>The policy used where a campaign names none.</summary>
    public static RoutingPolicy Default { get; } = new(DefaultId, Weights: new RankingWeights());

    public RankingWeights EffectiveWeights => Weights ?? Default.Weights!;
}
