namespace Routing.Contracts.Campaigns;

/// <summary>A group-buy campaign: its definition, the cap it hands out in leases, and units sold.
/// Orders never call it one by one: they take units from a per-silo <see cref="ICampaignQuotaGrain"/>.</summary>
public interface ICampaignGrain : IGrainWithStringKey
{
    /// <summary>Creates the campaign; the same definition again is Unchanged, a different one is Conflict.</summary>
    Task<UpsertResult> CreateAsync(CampaignDefinition definition);

    [ReadOnly] Task<CampaignView?> GetAsync();

    /// <summary>Asks for units of the cap: at least <paramref name="needed"/> if that many are left, up to
    /// <paramref name="wanted"/> while plenty are left. Never grants past the cap, nor outside the campaign's open hours.
    /// Null when the campaign does not exist. (A grant whose answer is lost is an undersell, never an oversell.)</summary>
    Task<QuotaLease?> LeaseAsync(int needed, int wanted);

    /// <summary>Reports units sold since the holder's last report (negative for returns) and hands back unused leased
    /// units. Idempotent per holder: a report is numbered, and one the campaign has applied already is ignored, so a
    /// holder that retries after a lost answer never counts its sales twice.</summary>
    Task ReportAsync(string holderId, long reportSeq, int soldSinceLastReport, int unusedReturned);

    /// <summary>The closer's report after a sweep of a campaign that did not form: how many orders it cancelled.
    /// A sweep that found nothing more to cancel ends the campaign's schedule.</summary>
    Task SweepFinishedAsync(int cancelled);
}
