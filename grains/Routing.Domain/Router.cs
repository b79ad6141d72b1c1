using Routing.Domain.Explaining;
using Routing.Domain.Stages;
using static System.FormattableString;

namespace Routing.Domain;

/// <summary>Routes one order: candidates' snapshots + order + policy → allocation plan with its explanation.
/// Pure and deterministic: no clock, no randomness, no I/O, and the candidates' input order does not matter.
/// In stages (<c>Stages/</c>): eligibility (<see cref="CandidatePool"/>, then stock in <see cref="Attempt"/>), ranking,
/// one placer per split policy (<see cref="Placer"/>), diagnosis of what could not be placed (<see cref="Diagnosis"/>),
/// and the substitution search and fallback (<see cref="SubstituteSearch"/>). Every decision is a coded
/// <see cref="Finding"/>.</summary>
public static class Router
{
    /// <summary>Places the whole order or nothing: the plan is either <see cref="RoutingOutcome.Allocated"/> with
    /// every unit allocated, or carries no allocations and says why.</summary>
    /// <exception cref="ArgumentException">The order has no lines, a line's quantity is not positive, or two
    /// candidates share an id.</exception>
    public static AllocationPlan Route(RouteRequest request, IReadOnlyList<DistributorSnapshot> candidates, RoutingPolicy policy)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(candidates);
        ArgumentNullException.ThrowIfNull(policy);
        ValidateLines(request.Lines, nameof(request));

        var pool = CandidatePool.Create(request, candidates, policy, nameof(candidates));
        var attempt = Attempt.Run(request.Lines, pool, policy);
        return attempt.Succeeded
            ? Plan(RoutingOutcome.Allocated, attempt, [], [], null, attempt.Decisions, policy)
            : SubstituteSearch.Fallback(request, pool, policy, attempt);
    }

    private static void ValidateLines(IReadOnlyList<OrderLine> lines, string paramName)
    {
        if (lines is null || lines.Count == 0)
            throw new ArgumentException("The order has no lines.", paramName);
        for (var i = 0; i < lines.Count; i++)
        {
            if (lines[i].Quantity <= 0)
                throw new ArgumentException(
                    Invariant($"Line {i + 1} ({lines[i].Sku}) has quantity {lines[i].Quantity}; quantities must be positive."),
                    paramName);
        }
    }

    internal static AllocationPlan Plan(
        RoutingOutcome outcome, Attempt attempt, IReadOnlyList<Substitution> substitutions,
        IReadOnlyList<SubstituteSuggestion> suggestions, string? reason, List<Finding> decisions, RoutingPolicy policy)
    {
        var allocations = outcome == RoutingOutcome.Allocated ? attempt.Allocations() : [];
        var explanation = new RoutingExplanation(policy.Id, policy.Split, attempt.Reports(), decisions);
        return new AllocationPlan(outcome, allocations, substitutions, suggestions, reason, explanation);
    }
}
