namespace Routing.Domain;

/// <summary>An eligible candidate's score for one unit of work; <see cref="Candidate"/> indexes the router's
/// id-sorted candidate array.</summary>
internal readonly record struct Ranked(int Candidate, double Score);

/// <summary>The ranking score: priority tier, distance, stock and today's load, each normalised to [0, 1] and
/// weighted by the policy's <see cref="RankingWeights"/>.</summary>
internal static class Ranking
{
    /// <summary>Scores are rounded before they are compared, so two candidates whose scores print the same in
    /// the explanation are ordered by the visible tie-breaks rather than by floating-point noise.</summary>
    public const int ScoreDecimals = 4;

    // Distance at which the distance factor halves: a depot 50 km away scores 0.5, one next door scores ~1.
    private const double DistanceHalfKm = 50.0;

    /// <summary>Tier 1 is best.</summary>
    public static double PriorityFactor(int priority) => 1.0 / Math.Max(1, priority);

    public static double DistanceFactor(double km) => 1.0 / (1.0 + km / DistanceHalfKm);

    public static double LoadFactor(DistributorSnapshot d) =>
        d.DailyCapacity <= 0 ? 0 : (double)d.CapacityLeft / d.DailyCapacity;

    /// <summary>The weakest of the unit's SKUs decides: a depot rich in one SKU and poor in another is as good as
    /// its poorest SKU, relative to the best-stocked eligible depot for that SKU.</summary>
    public static double StockFactor(DistributorSnapshot d, IReadOnlyList<string> skus, IReadOnlyDictionary<string, int> maxAvailable)
    {
        var min = 1.0;
        for (var i = 0; i < skus.Count; i++)
        {
            var max = maxAvailable.GetValueOrDefault(skus[i]);
            var factor = max <= 0 ? 0 : (double)Math.Max(0, d.Available(skus[i])) / max;
            if (factor < min) min = factor;
        }
        return min;
    }

    public static double Score(RankingWeights w, DistributorSnapshot d, double distanceKm, double stockFactor)
    {
        var raw = w.Priority * PriorityFactor(d.Priority)
                + w.Distance * DistanceFactor(distanceKm)
                + w.Stock * stockFactor
                + w.Load * LoadFactor(d);
        return Math.Round(raw, ScoreDecimals, MidpointRounding.AwayFromZero);
    }

    /// <summary>Best first. The order is total (ids are unique), so it does not depend on the input order.</summary>
    public static Ranked[] Rank(
        IReadOnlyList<int> eligible,
        DistributorSnapshot[] snapshots,
        double[] distanceKm,
        IReadOnlyList<string> skus,
        IReadOnlyDictionary<string, int> maxAvailable,
        RankingWeights weights)
    {
        var ranked = new Ranked[eligible.Count];
        for (var i = 0; i < ranked.Length; i++)
        {
            var c = eligible[i];
            var stock = StockFactor(snapshots[c], skus, maxAvailable);
            ranked[i] = new Ranked(c, Score(weights, snapshots[c], distanceKm[c], stock));
        }
        Array.Sort(ranked, (a, b) => Compare(a, b, snapshots, distanceKm));
        return ranked;
    }

    private static int Compare(Ranked a, Ranked b, DistributorSnapshot[] snapshots, double[] distanceKm)
    {
        var byScore = b.Score.CompareTo(a.Score);
        if (byScore != 0) return byScore;
        var byPriority = snapshots[a.Candidate].Priority.CompareTo(snapshots[b.Candidate].Priority);
        if (byPriority != 0) return byPriority;
        var byDistance = distanceKm[a.Candidate].CompareTo(distanceKm[b.Candidate]);
        if (byDistance != 0) return byDistance;
        return string.CompareOrdinal(snapshots[a.Candidate].Id, snapshots[b.Candidate].Id);
    }
}
