using Routing.Domain.Explaining;
using static System.FormattableString;

namespace Routing.Domain.Stages;

/// <summary>Eligibility, first stage: the candidates in ordinal id order, with the rules that do not depend on the
/// order's SKUs already applied (active, participating, territory or distance, capacity). Stock comes per attempt.</summary>
internal sealed class CandidatePool
{
    private CandidatePool(DistributorSnapshot[] snapshots)
    {
        Snapshots = snapshots;
        DistanceKm = new double[snapshots.Length];
        Exclusion = new ExclusionReason?[snapshots.Length];
        Notes = new Finding?[snapshots.Length];
    }

    public DistributorSnapshot[] Snapshots { get; }
    public double[] DistanceKm { get; }
    public ExclusionReason?[] Exclusion { get; }
    /// <summary>What the rules found worth saying about a candidate (why it is excluded, or served from outside its territory).</summary>
    public Finding?[] Notes { get; }
    public string? HomeId { get; private set; }
    /// <summary>Index of the home distributor, -1 when there is none among the candidates.</summary>
    public int Home { get; private set; } = -1;
    public int Count => Snapshots.Length;

    public static CandidatePool Create(
        RouteRequest request, IReadOnlyList<DistributorSnapshot> candidates, RoutingPolicy policy, string paramName)
    {
        var snapshots = new DistributorSnapshot[candidates.Count];
        for (var i = 0; i < snapshots.Length; i++)
            snapshots[i] = candidates[i] ?? throw new ArgumentException("A candidate is null.", paramName);
        // Sorting by id up front is what makes the plan independent of the order candidates arrive in.
        Array.Sort(snapshots, static (a, b) => string.CompareOrdinal(a.Id, b.Id));
        for (var i = 1; i < snapshots.Length; i++)
        {
            if (string.Equals(snapshots[i - 1].Id, snapshots[i].Id, StringComparison.Ordinal))
                throw new ArgumentException(Invariant($"Distributor {snapshots[i].Id} appears twice among the candidates."), paramName);
        }

        var pool = new CandidatePool(snapshots) { HomeId = request.HomeDistributorId };
        for (var c = 0; c < snapshots.Length; c++)
        {
            var d = snapshots[c];
            pool.DistanceKm[c] = request.Location.DistanceKmTo(d.Location);
            (pool.Exclusion[c], pool.Notes[c]) = Check(d, pool.DistanceKm[c], request, policy);
            if (string.Equals(d.Id, request.HomeDistributorId, StringComparison.Ordinal)) pool.Home = c;
        }
        return pool;
    }

    private static (ExclusionReason?, Finding?) Check(DistributorSnapshot d, double km, RouteRequest request, RoutingPolicy policy)
    {
        if (!d.Active) return (ExclusionReason.Inactive, null);
        if (request.Participants is { } participants && !participants.Contains(d.Id))
            return (ExclusionReason.NotParticipating, null);

        Finding? note = null;
        if (!RegionCodes.AnyCovers(d.Regions, request.Region))
        {
            if (policy.MaxDistanceKm is not { } max) return (ExclusionReason.OutsideTerritory, new OutsideTerritory(request.Region));
            if (km > max) return (ExclusionReason.OutsideTerritory, new BeyondReach(request.Region, km, max));
            // Kept on eligible candidates too: being served from outside the territory deserves a word.
            note = new WithinReach(km, max);
        }

        if (d.CapacityLeft <= 0) return (ExclusionReason.CapacityExhausted, new NoCapacityLeft(d.LoadToday, d.DailyCapacity));
        return (null, note);
    }

    /// <summary>Distances as the explanation reports them.</summary>
    public static double Round(double km) => Math.Round(km, 2, MidpointRounding.AwayFromZero);

    /// <summary>Passes every rule but stock.</summary>
    public bool IsEligibleExceptStock(int c) => Exclusion[c] is null;

    public bool AnyEligibleExceptStock()
    {
        for (var c = 0; c < Count; c++)
            if (IsEligibleExceptStock(c)) return true;
        return false;
    }

    /// <summary>Units of a SKU held by the candidates that pass every rule but stock ("in stock nearby").</summary>
    public int AvailableNearby(string sku)
    {
        long sum = 0;
        for (var c = 0; c < Snapshots.Length; c++)
            if (Exclusion[c] is null) sum += Math.Max(0, Snapshots[c].Available(sku));
        return (int)Math.Min(int.MaxValue, sum);
    }
}
