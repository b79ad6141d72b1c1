using Routing.Contracts.Campaigns;
using Routing.Grains.Infrastructure;

namespace Routing.Grains.Campaigns;

/// <summary>Persistent state of the campaign registry.</summary>
[GenerateSerializer]
public sealed class CampaignRegistryState
{
    [Id(0)] public SortedSet<string> Ids { get; set; } = new(StringComparer.Ordinal);
}

/// <summary>Lists campaigns. Off the order path: written when a campaign is created.</summary>
public sealed class CampaignRegistryGrain(
    [PersistentState("campaigns", StorageNames.Routing)] IPersistentState<CampaignRegistryState> state) : Grain, ICampaignRegistryGrain
{
    public async Task AddAsync(string campaignId)
    {
        if (state.State.Ids.Add(campaignId)) await state.SaveAsync(this);
    }

    public Task<IReadOnlyList<string>> ListAsync() => Task.FromResult<IReadOnlyList<string>>(state.State.Ids.ToList());
}
