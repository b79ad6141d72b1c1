using Routing.Domain.Explaining;

namespace Routing.Domain;

/// <summary>The result of routing one order.</summary>
public enum RoutingOutcome
{
    /// <summary>Every line is allocated (possibly to substitutes, when the policy allows it).</summary>
    Allocated,
    /// <summary>Not fillable as ordered, but in-stock substitutes were found and are suggested.</summary>
    AwaitingSubstitution,
    /// <summary>Not fillable now; the policy keeps it waiting for stock.</summary>
    Backorder,
    /// <summary>Not fillable; the policy sends it to a person.</summary>
    ManualReview,
    /// <summary>Not fillable; rejected with a reason.</summary>
    Rejected,
}

/// <summary>Why a candidate distributor was not considered.</summary>
public enum ExclusionReason
{
    Inactive,
    OutsideTerritory,
    NotParticipating,
    CapacityExhausted,
    OutOfStock,
    InsufficientStock,
}

/// <summary>Units of one SKU given to one distributor.</summary>
[GenerateSerializer, Immutable]
public sealed record Allocation(
    [property: Id(0)] string DistributorId,
    [property: Id(1)] string Sku,
    [property: Id(2)] int Quantity);

/// <summary>A SKU replaced by another one, because the original could not be filled.</summary>
[GenerateSerializer, Immutable]
public sealed record Substitution(
    [property: Id(0)] string OriginalSku,
    [property: Id(1)] string SubstituteSku,
    [property: Id(2)] int Quantity);

/// <summary>An in-stock substitute offered for an unfillable SKU, with how much of it is available to this order.</summary>
[GenerateSerializer, Immutable]
public sealed record SubstituteSuggestion(
    [property: Id(0)] string OriginalSku,
    [property: Id(1)] string SubstituteSku,
    [property: Id(2)] int Rank,
    [property: Id(3)] int AvailableNearby);

/// <summary>How one candidate fared: excluded and why (with <see cref="Notes"/> giving the particulars), or its score and
/// rank. <see cref="Detail"/> is that in words, rendered when read.</summary>
[GenerateSerializer, Immutable]
public sealed record CandidateReport(
    [property: Id(0)] string DistributorId,
    [property: Id(1)] ExclusionReason? Excluded,
    [property: Id(7)] Finding[] Notes,
    [property: Id(3)] double? Score,
    [property: Id(4)] int? Rank,
    [property: Id(5)] double DistanceKm,
    [property: Id(6)] bool Home)
{
    public string? Detail => Exclusions.Detail(Excluded, Notes);

    public string? DetailZh => Exclusions.DetailZh(Excluded, Notes);
}

/// <summary>Why the plan is what it is: every candidate's fate and the decisions taken, as coded findings.</summary>
[GenerateSerializer, Immutable]
public sealed record RoutingExplanation(
    [property: Id(0)] string PolicyId,
    [property: Id(1)] SplitPolicy Split,
    [property: Id(2)] IReadOnlyList<CandidateReport> Candidates,
    [property: Id(4)] IReadOnlyList<Finding> Decisions);

/// <summary>An allocation plan with its explanation. Pure data: the grains reserve it.</summary>
[GenerateSerializer, Immutable]
public sealed record AllocationPlan(
    [property: Id(0)] RoutingOutcome Outcome,
    [property: Id(1)] IReadOnlyList<Allocation> Allocations,
    [property: Id(2)] IReadOnlyList<Substitution> Substitutions,
    [property: Id(3)] IReadOnlyList<SubstituteSuggestion> Suggestions,
    [property: Id(4)] string? Reason,
    [property: Id(5)] RoutingExplanation Explanation)
{
    /// <summary>Why the order (or a unit of it) could not be placed as ordered: the causes of its unfillable decisions.</summary>
    public IEnumerable<Finding> Causes => Explanation.Decisions.OfType<Unfillable>().Where(u => !u.AsOrdered).Select(u => u.Cause);
}
