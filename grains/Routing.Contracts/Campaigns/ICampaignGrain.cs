namespace Routing.Contracts.Campaigns;

/// <summary>A group-buy campaign: its definition, the cap it hands out in leases, and units sold (the units its orders in
/// the order journal hold). Orders never call it one by one: they take units from a per-silo <see cref="ICampaignQuotaGrain"/>.</summary>
public interface ICampaignGrain : IGrainWithStringKey
{
    /// <summary>Creates the campaign; the same definition again is Unchanged, a different one is Conflict.</summary>
    Task<UpsertResult> CreateAsync(CampaignDefinition definition);

    [ReadOnly] Task<CampaignView?> GetAsync();

    /// <summary>Asks for units of the cap for the quota holder <paramref name="holderId"/> on <paramref name="silo"/>: at
    /// least <paramref name="needed"/> if that many are left, up to <paramref name="wanted"/> while plenty are left. Never
    /// grants past the cap (sold, plus what live holders may still sell), nor outside the campaign's open hours; units
    /// held by holders on silos the cluster has declared dead are taken back first. Null when the campaign does not
    /// exist. Idempotent per holder: leases are numbered (<paramref name="leaseSeq"/>), and the holder asks again with the
    /// same number until it has an answer, which then is the grant already made, so a lost answer strands nothing.</summary>
    Task<QuotaLease?> LeaseAsync(string holderId, SiloAddress silo, long leaseSeq, int needed, int wanted);

    /// <summary>A holder's report: units its orders made durable since its last report (<paramref name="consumed"/>) and
    /// unused units handed back; <paramref name="closing"/> when it goes away with nothing left in flight. Idempotent per
    /// holder: a report is numbered, and one the campaign has applied already is ignored.</summary>
    Task ReportAsync(string holderId, long reportSeq, int consumed, int unusedReturned, bool closing);

    /// <summary>The closer's report after a sweep of a campaign that did not form: how many orders it cancelled.
    /// A sweep that found nothing more to cancel ends the campaign's schedule.</summary>
    Task SweepFinishedAsync(int cancelled);
}
