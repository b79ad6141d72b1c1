using Routing.Domain;
using Routing.Domain.Rules;

namespace Routing.Contracts.Campaigns;

/// <summary>A volume price tier: once the campaign has sold <see cref="MinUnits"/>, the unit price is <see cref="Price"/>.</summary>
[GenerateSerializer, Immutable]
public sealed record PriceTier([property: Id(0)] int MinUnits, [property: Id(1)] decimal Price);

/// <summary>A group-buy campaign as created. Immutable once created.</summary>
[GenerateSerializer, Immutable]
public sealed record CampaignDefinition(
    [property: Id(0)] string Id,
    [property: Id(1)] string Name,
    [property: Id(2)] string Sku,
    [property: Id(3)] decimal Price,
    [property: Id(4)] IReadOnlyList<PriceTier> Tiers,
    [property: Id(5)] DateTimeOffset StartsAt,
    [property: Id(6)] DateTimeOffset EndsAt,
    [property: Id(7)] int Cap,
    [property: Id(8)] int PerCustomerLimit,
    [property: Id(9)] int MinUnits,
    [property: Id(10)] IReadOnlyList<string> Regions,
    [property: Id(11)] IReadOnlyList<string> Distributors,
    [property: Id(12)] string PolicyId,
    [property: Id(13)] int? PaymentWindowSeconds = null)
{
    public CampaignStatus StatusAt(DateTimeOffset now, int sold) => CampaignRules.StatusAt(now, StartsAt, EndsAt, Cap, MinUnits, sold);

    /// <summary>The unit price once <paramref name="sold"/> units are sold (<see cref="CampaignRules.PriceAt"/>).</summary>
    public decimal PriceAt(int sold) => CampaignRules.PriceAt(Price, Tiers.Select(t => (t.MinUnits, t.Price)), sold);

    /// <summary>The tier that lowers the price next, if any (<see cref="CampaignRules.NextTier"/>).</summary>
    public PriceTier? NextTierAt(int sold) =>
        CampaignRules.NextTier(Price, Tiers.Select(t => (t.MinUnits, t.Price)), sold) is { } next ? new PriceTier(next.MinUnits, next.Price) : null;

    /// <summary>How many tiers have lowered the price (<see cref="CampaignRules.TiersReached"/>).</summary>
    public int TiersReachedAt(int sold) => CampaignRules.TiersReached(Price, Tiers.Select(t => (t.MinUnits, t.Price)), sold);

    public bool CoversRegion(string region) =>
        Regions.Count == 0 || Routing.Domain.RegionCodes.AnyCovers(Regions, region);

    /// <summary>Equal content (records compare lists by reference, so this compares them by value).</summary>
    public bool SameAs(CampaignDefinition other) =>
        this with { Tiers = other.Tiers, Regions = other.Regions, Distributors = other.Distributors } == other
        && Tiers.SequenceEqual(other.Tiers)
        && Regions.SequenceEqual(other.Regions)
        && Distributors.SequenceEqual(other.Distributors);
}

/// <summary>A campaign with its live numbers.</summary>
[GenerateSerializer, Immutable]
public sealed record CampaignView(
    [property: Id(0)] CampaignDefinition Definition,
    [property: Id(1)] int Sold,
    [property: Id(2)] CampaignStatus Status,
    [property: Id(3)] decimal CurrentPrice)
{
    public int TiersReached => Definition.TiersReachedAt(Sold);
    public PriceTier? NextTier => Definition.NextTierAt(Sold);
}

/// <summary>Units of a campaign's cap handed to one quota holder.</summary>
[GenerateSerializer, Immutable]
public sealed record QuotaLease(
    [property: Id(0)] int Units,
    [property: Id(1)] CampaignDefinition Definition,
    [property: Id(2)] int Sold);
