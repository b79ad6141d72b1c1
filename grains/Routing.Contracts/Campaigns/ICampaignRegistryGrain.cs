namespace Routing.Contracts.Campaigns;

/// <summary>The ids of all campaigns (key 0), for listing. Written once per campaign created.</summary>
public interface ICampaignRegistryGrain : IGrainWithIntegerKey
{
    Task AddAsync(string campaignId);

    [ReadOnly] Task<IReadOnlyList<string>> ListAsync();
}
