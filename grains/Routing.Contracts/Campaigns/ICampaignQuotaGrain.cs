using Routing.Domain;

namespace Routing.Contracts.Campaigns;

/// <summary>Why units could not be taken from a campaign.</summary>
public enum QuotaOutcome
{
    Taken,
    CampaignNotFound,
    NotOpen,
    SoldOut,
    RegionNotEligible,
}

/// <summary>The answer to taking units: the campaign as the holder knows it, and the unit price.</summary>
[GenerateSerializer, Immutable]
public sealed record QuotaTicket(
    [property: Id(0)] QuotaOutcome Outcome,
    [property: Id(1)] CampaignDefinition? Definition,
    [property: Id(2)] decimal UnitPrice,
    [property: Id(3)] CampaignStatus Status);

/// <summary>A silo-local holder of a campaign's quota lease (one per silo per campaign). Orders take units
/// from it without I/O; it renews its lease from the campaign grain in chunks and reports sales in batches.</summary>
public interface ICampaignQuotaGrain : IGrainWithStringKey
{
    Task<QuotaTicket> TakeAsync(int quantity, string customerRegion);

    /// <summary>Reports what orders settled in the silo's pool since the last report: an order that settles while no holder
    /// activation attends the pool calls this, which activates one.</summary>
    Task SettleAsync();
}
