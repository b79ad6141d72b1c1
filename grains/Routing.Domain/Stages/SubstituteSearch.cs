using Routing.Domain.Explaining;

namespace Routing.Domain.Stages;

/// <summary>When the order cannot be placed as ordered: the substitution search (in-stock substitutes of the unfillable
/// SKUs, used automatically or suggested, as the policy says), then the policy's fallback.</summary>
internal static class SubstituteSearch
{
    // Bounds the auto-substitution search (every combination of the unfillable SKUs' in-stock substitutes),
    // so a catalog with long substitute lists cannot turn one order into hundreds of routing passes.
    private const int MaxSubstitutionAttempts = 64;

    public static AllocationPlan Fallback(RouteRequest request, CandidatePool pool, RoutingPolicy policy, Attempt failed)
    {
        var decisions = new List<Finding>(failed.Decisions);
        var targets = failed.ShortSkus();
        if (targets.Count > 0 && (policy.SuggestSubstitutes || policy.AutoSubstitute))
        {
            var offers = new List<SubstituteSuggestion>[targets.Count];
            for (var i = 0; i < targets.Count; i++)
            {
                offers[i] = InStockSubstitutes(targets[i].Sku, request.Substitutes, pool);
                if (offers[i].Count == 0) decisions.Add(new NoSubstituteInStock(targets[i].Sku));
            }

            if (policy.AutoSubstitute)
            {
                var substituted = TryAutoSubstitute(request, pool, policy, failed, targets, offers);
                if (substituted is not null) return substituted;
                decisions.Add(new NoSubstitutionFits());
            }

            if (policy.SuggestSubstitutes && Suggestions(targets, offers, decisions) is { } suggestions)
            {
                var reason = failed.FailureReason + "; substitutes in stock nearby are suggested";
                return Router.Plan(RoutingOutcome.AwaitingSubstitution, failed, [], suggestions, reason, decisions, policy);
            }
        }

        var outcome = policy.Fallback switch
        {
            FallbackAction.Reject => RoutingOutcome.Rejected,
            FallbackAction.Backorder => RoutingOutcome.Backorder,
            FallbackAction.ManualReview => RoutingOutcome.ManualReview,
        };
        decisions.Add(new FallbackTaken(policy.Fallback));
        return Router.Plan(outcome, failed, [], [], failed.FailureReason, decisions, policy);
    }

    /// <summary>"In stock nearby" means held by candidates that pass every eligibility rule except stock.</summary>
    private static List<SubstituteSuggestion> InStockSubstitutes(
        string sku, IReadOnlyDictionary<string, IReadOnlyList<string>>? catalog, CandidatePool pool)
    {
        var offers = new List<SubstituteSuggestion>();
        if (catalog is null || !catalog.TryGetValue(sku, out var ranked)) return offers;
        for (var r = 0; r < ranked.Count; r++)
        {
            var substitute = ranked[r];
            if (string.Equals(substitute, sku, StringComparison.Ordinal) || offers.Exists(o => o.SubstituteSku == substitute)) continue;
            var nearby = pool.AvailableNearby(substitute);
            // Rank is the catalog's rank (1-based), so it still means the same thing when better ones are out of stock.
            if (nearby > 0) offers.Add(new SubstituteSuggestion(sku, substitute, r + 1, nearby));
        }
        return offers;
    }

    /// <summary>Tries substitute combinations in catalog-rank order (the earliest unfillable SKU keeps its best
    /// substitute longest); the first combination that makes the whole order fillable wins.</summary>
    private static AllocationPlan? TryAutoSubstitute(
        RouteRequest request, CandidatePool pool, RoutingPolicy policy, Attempt failed,
        List<ShortSku> targets, List<SubstituteSuggestion>[] offers)
    {
        foreach (var o in offers)
            if (o.Count == 0) return null;

        var choice = new int[targets.Count];
        for (var tries = 0; tries < MaxSubstitutionAttempts; tries++)
        {
            var lines = Substitute(request.Lines, targets, offers, choice);
            var trial = Attempt.Run(lines, pool, policy);
            if (trial.Succeeded)
            {
                var decisions = new List<Finding>(failed.FailureDecisions);
                var substitutions = new Substitution[targets.Count];
                for (var i = 0; i < targets.Count; i++)
                {
                    var used = offers[i][choice[i]].SubstituteSku;
                    substitutions[i] = new Substitution(targets[i].Sku, used, targets[i].Quantity);
                    decisions.Add(new SubstituteUsed(targets[i].Sku, used));
                }
                decisions.AddRange(trial.Decisions);
                return Router.Plan(RoutingOutcome.Allocated, trial, substitutions, [], null, decisions, policy);
            }

            var k = targets.Count - 1;
            while (k >= 0 && ++choice[k] == offers[k].Count)
            {
                choice[k] = 0;
                k--;
            }
            if (k < 0) break;
        }
        return null;
    }

    private static OrderLine[] Substitute(
        IReadOnlyList<OrderLine> lines, List<ShortSku> targets, List<SubstituteSuggestion>[] offers, int[] choice)
    {
        var result = new OrderLine[lines.Count];
        for (var i = 0; i < lines.Count; i++) result[i] = lines[i];
        for (var t = 0; t < targets.Count; t++)
        {
            var substitute = offers[t][choice[t]].SubstituteSku;
            foreach (var line in targets[t].Lines)
                result[line] = result[line] with { Sku = substitute };
        }
        return result;
    }

    /// <summary>Waiting for the customer only makes sense if accepting the suggestions could fill the order, so
    /// every unfillable SKU needs a substitute with at least the ordered quantity nearby; null otherwise.</summary>
    private static List<SubstituteSuggestion>? Suggestions(List<ShortSku> targets, List<SubstituteSuggestion>[] offers, List<Finding> decisions)
    {
        var suggestions = new List<SubstituteSuggestion>();
        var complete = true;
        for (var t = 0; t < targets.Count; t++)
        {
            var enough = offers[t].Where(o => o.AvailableNearby >= targets[t].Quantity).ToList();
            suggestions.AddRange(enough);
            if (enough.Count > 0) decisions.Add(new SubstitutesSuggested(targets[t].Sku, enough));
            else
            {
                complete = false;
                if (offers[t].Count > 0) decisions.Add(new NoSubstituteHasEnough(targets[t].Sku, targets[t].Quantity));
            }
        }
        return complete ? suggestions : null;
    }
}
