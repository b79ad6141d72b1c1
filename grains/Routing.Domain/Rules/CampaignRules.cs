namespace Routing.Domain.Rules;

/// <summary>A group-buy campaign's status and price, from its schedule, its numbers and the units sold.</summary>
public static class CampaignRules
{
    /// <summary>Scheduled before its start; open (or sold out at the cap) until its end; then formed if it sold its
    /// minimum, else not formed. (Once closed, the campaign keeps the outcome it closed with.)</summary>
    public static CampaignStatus StatusAt(DateTimeOffset now, DateTimeOffset startsAt, DateTimeOffset endsAt, int cap, int minUnits, int sold) =>
        now < startsAt ? CampaignStatus.Scheduled
        : now < endsAt ? (sold >= cap ? CampaignStatus.SoldOut : CampaignStatus.Open)
        : sold >= minUnits ? CampaignStatus.Formed
        : CampaignStatus.NotFormed;

    /// <summary>The unit price once <paramref name="sold"/> units are sold: the lowest price of the tiers reached
    /// (a tier dearer than the base price never applies).</summary>
    public static decimal PriceAt(decimal basePrice, IEnumerable<(int MinUnits, decimal Price)> tiers, int sold)
    {
        var price = basePrice;
        foreach (var (minUnits, tierPrice) in tiers)
            if (sold >= minUnits && tierPrice < price) price = tierPrice;
        return price;
    }

    /// <summary>How many tiers have lowered the price: those reached whose price is below the base price.</summary>
    public static int TiersReached(decimal basePrice, IEnumerable<(int MinUnits, decimal Price)> tiers, int sold) =>
        tiers.Count(t => sold >= t.MinUnits && t.Price < basePrice);

    /// <summary>The tier that lowers the price next: the first, by units, not yet reached whose price is below the
    /// current one; null when none is left.</summary>
    public static (int MinUnits, decimal Price)? NextTier(decimal basePrice, IEnumerable<(int MinUnits, decimal Price)> tiers, int sold)
    {
        var ordered = tiers.OrderBy(t => t.MinUnits).ToList();
        var current = PriceAt(basePrice, ordered, sold);
        foreach (var tier in ordered)
            if (tier.MinUnits > sold && tier.Price < current) return tier;
        return null;
    }
}
