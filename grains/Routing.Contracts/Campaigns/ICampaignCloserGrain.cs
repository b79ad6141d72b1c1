namespace Routing.Contracts.Campaigns;

/// <summary>Winds up a campaign that did not form (keyed by campaign id): cancels its open orders, which releases
/// their reservations and gives back their units and limits, and raises alerts. Its own grain so the campaign grain
/// never waits on orders (they report to the campaign through the quota holders while they cancel).</summary>
public interface ICampaignCloserGrain : IGrainWithStringKey
{
    /// <summary>One sweep; reports to the campaign grain when done.</summary>
    [OneWay] Task SweepAsync(string reason);
}
