using Microsoft.Extensions.Logging;
using Routing.Contracts;
using Routing.Contracts.Campaigns;
using Routing.Contracts.Events;
using Routing.Contracts.Orders;
using Routing.Domain;
using Routing.Domain.Rules;
using Routing.Grains.Events;
using Routing.Grains.History;
using Routing.Grains.Infrastructure;

namespace Routing.Grains.Campaigns;

/// <summary>Persistent state of a campaign.</summary>
[GenerateSerializer]
public sealed class CampaignState
{
    [Id(0)] public CampaignDefinition? Definition { get; set; }
    // [Id(1)] held the units granted and [Id(2)] the units sold as reported: sold is now the order journal's count,
    // and what is granted is kept per holder (Id 6).
    /// <summary>Set once the campaign ended: Formed or NotFormed, fixed from then on (later cancellations do not change it).</summary>
    [Id(3)] public CampaignStatus? ClosedAs { get; set; }
    [Id(4)] public bool OpenAnnounced { get; set; }
    // [Id(5)] held the last report per holder; it is part of each holder's account now.
    /// <summary>The quota holders that may still sell units of the cap, by holder id.</summary>
    [Id(6)] public Dictionary<string, HolderAccount> Holders { get; set; } = new(StringComparer.Ordinal);
}

/// <summary>What one quota holder (one silo's <see cref="CampaignQuotaGrain"/> activation) may still sell:
/// <see cref="Held"/> units granted to it that it has not yet reported made durable by orders or handed back. An upper
/// bound of what is in its pool and in flight there, so counting it beside the journal's sold never undercounts.</summary>
[GenerateSerializer]
public sealed class HolderAccount
{
    [Id(0)] public SiloAddress Silo { get; set; } = null!;
    [Id(1)] public int Held { get; set; }
    /// <summary>The last report applied, so a retried report is applied once.</summary>
    [Id(2)] public long LastReport { get; set; }
    /// <summary>The last lease granted and its units, so a retried lease is answered with the same grant.</summary>
    [Id(3)] public long LastLease { get; set; }
    [Id(4)] public int LastLeaseUnits { get; set; }
}

/// <summary>A group-buy campaign. Hands its cap out in leases to silo-local quota holders, so a flash sale costs
/// this grain one call per lease, not one per order. Units sold are the order journal's count (the units the campaign's
/// orders hold), never a second tally. The cap holds because sold + what live holders still hold ≤ cap: a holder's
/// account drops only when it reports units its orders made durable (already in the journal's count) or hands units
/// back, and a holder on a silo the cluster declared dead is dropped whole (what its orders made durable is in the
/// journal; the rest died with the silo). So the campaign sells out exactly to its cap after a crash.
/// A durable reminder opens and closes it on schedule; one that ends below its minimum is wound up by its
/// <see cref="ICampaignCloserGrain"/>, swept again each reminder tick until a sweep finds nothing left.</summary>
public sealed partial class CampaignGrain(
    [PersistentState("campaign", StorageNames.Routing)] IPersistentState<CampaignState> state,
    IOrderJournal journal,
    IClusterMembershipService membership,
    IRoutingEventPublisher events,
    TimeProvider clock,
    ILogger<CampaignGrain> logger) : Grain, ICampaignGrain, IRemindable
{
    /// <summary>A read of the campaign counts sold afresh from the journal when the last count is older than this.</summary>
    private static readonly TimeSpan ShownSoldFreshFor = TimeSpan.FromMilliseconds(200);
    /// <summary>A lease counts sold afresh when the last count is older than this; meanwhile from the count plus reports.</summary>
    private static readonly TimeSpan LeaseSoldFreshFor = TimeSpan.FromSeconds(1);
    /// <summary>A lease that would give less than needed counts afresh first when the count is older than this, so an
    /// overcount (see <see cref="_sold"/>) never refuses units near the end of a sale for long.</summary>
    private static readonly TimeSpan ShortLeaseSoldFreshFor = TimeSpan.FromMilliseconds(100);

    /// <summary>Units sold: the journal's count as last read, plus what holders reported consumed since. Never below the
    /// truth: a unit made durable after the read is still in its holder's account until reported, and then added here
    /// (a report may repeat units the read already counted, and a cancellation since lowers the truth: both only
    /// overcount until the next read).</summary>
    private int _sold;
    private long _soldReadAt;

    public const string ScheduleReminder = "schedule";

    /// <summary>Closing waits this long past the end, so orders that took units just before it have saved and
    /// every silo's quota holder has reported its sales.</summary>
    public static readonly TimeSpan CloseGrace = TimeSpan.FromSeconds(2);

    /// <summary>A reminder tick that fails, or a sweep that found stragglers, is tried again this much later.</summary>
    private static readonly TimeSpan RetryPeriod = TimeSpan.FromMinutes(1);

    private CampaignState S => state.State;

    public async Task<UpsertResult> CreateAsync(CampaignDefinition definition)
    {
        if (S.Definition is not null)
        {
            if (!S.Definition.SameAs(definition)) return UpsertResult.Conflict;
            await StartPaymentSweepAsync(); // a retried create finishes what the first may not have
            return UpsertResult.Unchanged;
        }
        S.Definition = definition;
        await state.SaveAsync(this);
        await ScheduleAsync();
        await StartPaymentSweepAsync();
        await GrainFactory.GetGrain<ICampaignRegistryGrain>(0).AddAsync(definition.Id);
        PublishProgress(_sold);
        return UpsertResult.Created;
    }

    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        if (reminderName != ScheduleReminder || S.Definition is not { } definition) return;
        await StartPaymentSweepAsync();
        var now = clock.GetUtcNow();
        if (!S.OpenAnnounced && now >= definition.StartsAt && now < definition.EndsAt)
        {
            S.OpenAnnounced = true;
            await state.SaveAsync(this);
            PublishProgress(_sold);
        }
        if (now < definition.EndsAt + CloseGrace)
        {
            await ScheduleAsync();
            return;
        }
        if (S.ClosedAs is null)
        {
            var sold = await SoldAsync(TimeSpan.Zero);
            S.ClosedAs = sold >= definition.MinUnits ? CampaignStatus.Formed : CampaignStatus.NotFormed;
            await state.SaveAsync(this);
            LogClosed(logger, definition.Id, S.ClosedAs, sold, definition.MinUnits);
            PublishProgress(_sold);
        }
        if (S.ClosedAs == CampaignStatus.NotFormed)
        {
            // The reminder stays until a sweep reports that nothing was left to cancel.
            await GrainFactory.GetGrain<ICampaignCloserGrain>(definition.Id).SweepAsync(
                $"campaign {definition.Id} did not form: {_sold} units sold, {definition.MinUnits} needed");
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

    /// <summary>With a payment window, its orders' deadlines are kept by the campaign's payment sweep.</summary>
    private Task StartPaymentSweepAsync() =>
        S.Definition!.PaymentWindowSeconds is null ? Task.CompletedTask : GrainFactory.GetGrain<IPaymentSweepGrain>(S.Definition.Id).StartAsync();

    private async Task UnregisterScheduleAsync()
    {
        if (await this.GetReminder(ScheduleReminder) is { } reminder) await this.UnregisterReminder(reminder);
    }

    public async Task<CampaignView?> GetAsync()
    {
        if (S.Definition is null) return null;
        var sold = await SoldAsync(ShownSoldFreshFor);
        return new CampaignView(S.Definition, sold, Status(), S.Definition.PriceAt(sold));
    }

    public async Task<QuotaLease?> LeaseAsync(string holderId, SiloAddress silo, long leaseSeq, int needed, int wanted)
    {
        if (S.Definition is not { } definition) return null;
        var reclaimed = ReclaimDeadHolders();
        // Afresh after a dead holder was dropped: its orders that became durable are counted only by the journal.
        var sold = await SoldAsync(reclaimed ? TimeSpan.Zero : LeaseSoldFreshFor);
        if (S.Holders.TryGetValue(holderId, out var asked) && leaseSeq <= asked.LastLease)
        {
            // A retry of a lease whose answer was lost: the same grant again (an older one: nothing more).
            if (reclaimed) await state.SaveAsync(this);
            return new QuotaLease(leaseSeq == asked.LastLease ? asked.LastLeaseUnits : 0, definition, sold);
        }
        var held = S.Holders.Values.Sum(h => h.Held);
        var grant = CampaignCap.Grant(CampaignCap.Left(definition.Cap, sold, held), Status() == CampaignStatus.Open, needed, wanted);
        if (grant < needed)
        {
            sold = await SoldAsync(ShortLeaseSoldFreshFor);
            grant = CampaignCap.Grant(CampaignCap.Left(definition.Cap, sold, held), Status() == CampaignStatus.Open, needed, wanted);
        }
        if (grant == 0)
        {
            if (needed > 0 && logger.IsEnabled(LogLevel.Information))
            {
                var holders = string.Join(", ", S.Holders.Select(h => $"{h.Key[..8]}@{h.Value.Silo}: {h.Value.Held}"));
                LogNoLease(logger, definition.Id, needed, holderId, sold, held, holders);
            }
            if (reclaimed) await state.SaveAsync(this);
            return new QuotaLease(0, definition, sold);
        }

        if (!S.Holders.TryGetValue(holderId, out var account)) S.Holders[holderId] = account = new HolderAccount { Silo = silo };
        account.Held += grant;
        account.LastLease = leaseSeq;
        account.LastLeaseUnits = grant;
        // Durable before granting: a restarted campaign must never hand the same units out twice.
        await state.SaveAsync(this);
        return new QuotaLease(grant, definition, sold);
    }

    public async Task ReportAsync(string holderId, long reportSeq, int consumed, int unusedReturned, bool closing)
    {
        if (S.Definition is null || !S.Holders.TryGetValue(holderId, out var account)) return;
        if (reportSeq <= account.LastReport) return; // applied already: a retry
        account.Held = Math.Max(0, account.Held - consumed - unusedReturned);
        account.LastReport = reportSeq;
        // Leaving the holder's account, the consumed units join sold: the two together never undercount.
        _sold += consumed;
        if (closing)
        {
            if (account.Held > 0)
                LogClosedHolding(logger, S.Definition.Id, holderId, account.Held);
            else S.Holders.Remove(holderId);
        }
        await state.SaveAsync(this);
        if (consumed != 0) PublishProgress(_sold);
    }

    /// <summary>Drops the accounts of holders on silos the cluster has declared dead: their orders that became durable
    /// are in the journal's count, and what was in their pools or in flight died with the silo (an order in flight there
    /// never became durable, so it was never acknowledged).</summary>
    private bool ReclaimDeadHolders()
    {
        var snapshot = membership.CurrentSnapshot;
        var dead = S.Holders.Where(h => snapshot.GetSiloStatus(h.Value.Silo) == SiloStatus.Dead).ToList();
        foreach (var (holderId, account) in dead)
        {
            LogSiloDead(logger, S.Definition!.Id, account.Silo, account.Held);
            S.Holders.Remove(holderId);
        }
        return dead.Count > 0;
    }

    /// <summary>Units sold (see <see cref="_sold"/>), read afresh from the journal when the last read is older than
    /// <paramref name="freshFor"/>.</summary>
    private async Task<int> SoldAsync(TimeSpan freshFor)
    {
        if (_soldReadAt == 0 || clock.GetElapsedTime(_soldReadAt) >= freshFor)
        {
            // Not reentrant: no report is applied while the journal is read, so every report applied before the read is in it.
            _sold = await journal.CampaignUnitsAsync(S.Definition!.Id);
            _soldReadAt = clock.GetTimestamp();
        }
        return _sold;
    }

    /// <summary>The status as of the last count of units sold.</summary>
    private CampaignStatus Status() => S.ClosedAs ?? S.Definition!.StatusAt(clock.GetUtcNow(), _sold);

    private void PublishProgress(int sold)
    {
        var d = S.Definition!;
        events.Publish(new CampaignProgress(clock.GetUtcNow(), d.Id, sold, d.Cap, Status(), d.PriceAt(sold), d.TiersReachedAt(sold), d.NextTierAt(sold)));
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Campaign {CampaignId} closed: {Outcome} with {Sold} sold (minimum {MinUnits})")]
    private static partial void LogClosed(ILogger logger, string campaignId, CampaignStatus? outcome, int sold, int minUnits);

    // Its caller checks the level first: listing the holders costs something.
    [LoggerMessage(Level = LogLevel.Information, SkipEnabledCheck = true,
        Message = "Campaign {CampaignId}: no lease of {Needed} for holder {HolderId}: {Sold} sold, {Held} held ({Holders})")]
    private static partial void LogNoLease(ILogger logger, string campaignId, int needed, string holderId, int sold, int held, string holders);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Campaign {CampaignId}: holder {HolderId} closed holding {Held} units it did not account for; they are not sold again")]
    private static partial void LogClosedHolding(ILogger logger, string campaignId, string holderId, int held);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Campaign {CampaignId}: silo {Silo} is dead; its quota holder's {Held} units return to the campaign")]
    private static partial void LogSiloDead(ILogger logger, string campaignId, SiloAddress silo, int held);
}
