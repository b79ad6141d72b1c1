using Routing.Contracts;
using Routing.Contracts.Campaigns;
using Routing.Contracts.Events;
using Routing.Grains.Events;
using Routing.Grains.Infrastructure;

namespace Routing.Grains.Campaigns;

/// <summary>Persistent state of a campaign.</summary>
[GenerateSerializer]
public sealed class CampaignState
{
    [Id(0)] public CampaignDefinition? Definition { get; set; }
    /// <summary>Units of the cap handed to quota holders and not given back. Never above the cap.</summary>
    [Id(1)] public int Granted { get; set; }
    /// <summary>Units sold, as reported by the holders in batches.</summary>
    [Id(2)] public int Sold { get; set; }
}

/// <summary>A group-buy campaign. Hands its cap out in leases to silo-local quota holders, so a flash sale costs
/// this grain one call per lease, not one per order. The cap holds because units sold ≤ granted ≤ cap.</summary>
public sealed class CampaignGrain(
    [PersistentState("campaign", StorageNames.Routing)] IPersistentState<CampaignState> state,
    IRoutingEventPublisher events,
    TimeProvider clock) : Grain, ICampaignGrain
{
    /// <summary>While plenty is left, a lease is at most this share of what is left, so units idle in one silo's
    /// hands near the end of a sale stay few.</summary>
    private const int LeaseShareDivisor = 4;

    private CampaignState S => state.State;

    public async Task<UpsertResult> CreateAsync(CampaignDefinition definition)
    {
        if (S.Definition is not null) return S.Definition.SameAs(definition) ? UpsertResult.Unchanged : UpsertResult.Conflict;
        S.Definition = definition;
        await state.SaveAsync(this);
        await GrainFactory.GetGrain<ICampaignRegistryGrain>(0).AddAsync(definition.Id);
        PublishProgress();
        return UpsertResult.Created;
    }

    public Task<CampaignView?> GetAsync() =>
        Task.FromResult(S.Definition is null ? null : new CampaignView(S.Definition, S.Sold, Status(), S.Definition.PriceAt(S.Sold)));

    public async Task<QuotaLease?> LeaseAsync(int soldSinceLastReport, int needed, int wanted)
    {
        if (S.Definition is not { } definition) return null;
        var left = definition.Cap - S.Granted;
        var grant = 0;
        if (Status() == CampaignStatus.Open && left > 0 && needed > 0)
            grant = Math.Min(left, Math.Max(needed, Math.Min(wanted, left / LeaseShareDivisor)));
        if (grant == 0 && soldSinceLastReport == 0) return new QuotaLease(0, definition, S.Sold);

        S.Granted += grant;
        S.Sold += soldSinceLastReport;
        // Durable before granting: a restarted campaign must never hand the same units out twice.
        await state.SaveAsync(this);
        if (soldSinceLastReport != 0) PublishProgress();
        return new QuotaLease(grant, definition, S.Sold);
    }

    public async Task ReportAsync(int soldSinceLastReport, int unusedReturned)
    {
        if (S.Definition is null || (soldSinceLastReport == 0 && unusedReturned == 0)) return;
        S.Sold += soldSinceLastReport;
        S.Granted -= unusedReturned;
        await state.SaveAsync(this);
        if (soldSinceLastReport != 0) PublishProgress();
    }

    private CampaignStatus Status() => S.Definition!.StatusAt(clock.GetUtcNow(), S.Sold);

    private void PublishProgress() =>
        events.Publish(new CampaignProgress(clock.GetUtcNow(), S.Definition!.Id, S.Sold, S.Definition.Cap, Status(), S.Definition.PriceAt(S.Sold)));
}
