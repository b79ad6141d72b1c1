using Microsoft.Extensions.Logging;
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
    /// <summary>Set once the campaign ended: Formed or NotFormed, fixed from then on (later cancellations do not change it).</summary>
    [Id(3)] public CampaignStatus? ClosedAs { get; set; }
    [Id(4)] public bool OpenAnnounced { get; set; }
    /// <summary>The last report applied per quota holder, so a retried report is applied once.</summary>
    [Id(5)] public Dictionary<string, AppliedReport> Reports { get; set; } = new(StringComparer.Ordinal);
}

/// <summary>A quota holder's last applied report number, and when (holders silent for long are forgotten).</summary>
[GenerateSerializer, Immutable]
public sealed record AppliedReport([property: Id(0)] long Seq, [property: Id(1)] DateTimeOffset At);

/// <summary>A group-buy campaign. Hands its cap out in leases to silo-local quota holders, so a flash sale costs
/// this grain one call per lease, not one per order. The cap holds because units sold ≤ granted ≤ cap.
/// A durable reminder opens and closes it on schedule; one that ends below its minimum is wound up by its
/// <see cref="ICampaignCloserGrain"/>, swept again each reminder tick until a sweep finds nothing left.</summary>
public sealed class CampaignGrain(
    [PersistentState("campaign", StorageNames.Routing)] IPersistentState<CampaignState> state,
    IRoutingEventPublisher events,
    TimeProvider clock,
    ILogger<CampaignGrain> logger) : Grain, ICampaignGrain, IRemindable
{
    public const string ScheduleReminder = "schedule";

    /// <summary>Closing waits this long past the end, so orders that took units just before it have saved and
    /// every silo's quota holder has reported its sales.</summary>
    public static readonly TimeSpan CloseGrace = TimeSpan.FromSeconds(2);

    /// <summary>A reminder tick that fails, or a sweep that found stragglers, is tried again this much later.</summary>
    private static readonly TimeSpan RetryPeriod = TimeSpan.FromMinutes(1);

    /// <summary>While plenty is left, a lease is at most this share of what is left, so units idle in one silo's
    /// hands near the end of a sale stay few.</summary>
    private const int LeaseShareDivisor = 4;

    private CampaignState S => state.State;

    public async Task<UpsertResult> CreateAsync(CampaignDefinition definition)
    {
        if (S.Definition is not null) return S.Definition.SameAs(definition) ? UpsertResult.Unchanged : UpsertResult.Conflict;
        S.Definition = definition;
        await state.SaveAsync(this);
        await ScheduleAsync();
        await GrainFactory.GetGrain<ICampaignRegistryGrain>(0).AddAsync(definition.Id);
        PublishProgress();
        return UpsertResult.Created;
    }

    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        if (reminderName != ScheduleReminder || S.Definition is not { } definition) return;
        var now = clock.GetUtcNow();
        if (!S.OpenAnnounced && now >= definition.StartsAt && now < definition.EndsAt)
        {
            S.OpenAnnounced = true;
            await state.SaveAsync(this);
            PublishProgress();
        }
        if (now < definition.EndsAt + CloseGrace)
        {
            await ScheduleAsync();
            return;
        }
        if (S.ClosedAs is null)
        {
            S.ClosedAs = S.Sold >= definition.MinUnits ? CampaignStatus.Formed : CampaignStatus.NotFormed;
            await state.SaveAsync(this);
            logger.LogInformation("Campaign {CampaignId} closed: {Outcome} with {Sold} sold (minimum {MinUnits})",
                definition.Id, S.ClosedAs, S.Sold, definition.MinUnits);
            PublishProgress();
        }
        if (S.ClosedAs == CampaignStatus.NotFormed)
        {
            // The reminder stays until a sweep reports that nothing was left to cancel.
            await GrainFactory.GetGrain<ICampaignCloserGrain>(definition.Id).SweepAsync(
                $"campaign {definition.Id} did not form: {S.Sold} units sold, {definition.MinUnits} needed");
            return;
        }
        await UnregisterScheduleAsync();
    }

    public async Task SweepFinishedAsync(int cancelled)
    {
        if (cancelled == 0 && S.ClosedAs == CampaignStatus.NotFormed) await UnregisterScheduleAsync();
    }

    /// <summary>Wakes the campaign at its next boundary: its start (to announce it), else its end plus the grace.</summary>
    private async Task ScheduleAsync()
    {
        var definition = S.Definition!;
        var now = clock.GetUtcNow();
        var next = !S.OpenAnnounced && now < definition.StartsAt ? definition.StartsAt : definition.EndsAt + CloseGrace;
        var due = next - now;
        await this.RegisterOrUpdateReminder(ScheduleReminder, due > TimeSpan.Zero ? due : TimeSpan.FromMilliseconds(1), RetryPeriod);
    }

    private async Task UnregisterScheduleAsync()
    {
        if (await this.GetReminder(ScheduleReminder) is { } reminder) await this.UnregisterReminder(reminder);
    }

    public Task<CampaignView?> GetAsync() =>
        Task.FromResult(S.Definition is null ? null : new CampaignView(S.Definition, S.Sold, Status(), S.Definition.PriceAt(S.Sold)));

    public async Task<QuotaLease?> LeaseAsync(int needed, int wanted)
    {
        if (S.Definition is not { } definition) return null;
        var left = definition.Cap - S.Granted;
        var grant = 0;
        if (Status() == CampaignStatus.Open && left > 0 && needed > 0)
            grant = Math.Min(left, Math.Max(needed, Math.Min(wanted, left / LeaseShareDivisor)));
        if (grant == 0) return new QuotaLease(0, definition, S.Sold);

        S.Granted += grant;
        // Durable before granting: a restarted campaign must never hand the same units out twice.
        await state.SaveAsync(this);
        return new QuotaLease(grant, definition, S.Sold);
    }

    public async Task ReportAsync(string holderId, long reportSeq, int soldSinceLastReport, int unusedReturned)
    {
        if (S.Definition is null || (soldSinceLastReport == 0 && unusedReturned == 0)) return;
        if (S.Reports.TryGetValue(holderId, out var last) && reportSeq <= last.Seq) return; // applied already: a retry
        var now = clock.GetUtcNow();
        S.Sold += soldSinceLastReport;
        S.Granted -= unusedReturned;
        S.Reports[holderId] = new AppliedReport(reportSeq, now);
        foreach (var (holder, applied) in S.Reports.Where(r => now - r.Value.At > ForgetHoldersAfter).ToList())
            S.Reports.Remove(holder);
        await state.SaveAsync(this);
        if (soldSinceLastReport != 0) PublishProgress();
    }

    /// <summary>A holder that has not reported for this long is gone (its activation ended long ago).</summary>
    private static readonly TimeSpan ForgetHoldersAfter = TimeSpan.FromHours(6);

    private CampaignStatus Status() => S.ClosedAs ?? S.Definition!.StatusAt(clock.GetUtcNow(), S.Sold);

    private void PublishProgress() =>
        events.Publish(new CampaignProgress(clock.GetUtcNow(), S.Definition!.Id, S.Sold, S.Definition.Cap, Status(), S.Definition.PriceAt(S.Sold)));
}
