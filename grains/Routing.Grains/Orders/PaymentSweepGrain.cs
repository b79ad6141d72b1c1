using Microsoft.Extensions.Logging;
using Routing.Contracts.Campaigns;
using Routing.Contracts.Orders;
using Routing.Grains.Campaigns;
using Routing.Grains.History;

namespace Routing.Grains.Orders;

/// <summary>One campaign's payment deadlines. The order path pays nothing for them beyond the order's record: the
/// journal indexes each order by when its payment expires, and this grain asks it every <see cref="SweepEvery"/> for
/// what has, cancelling each such order through its grain (which checks the deadline itself, so a payment that arrives
/// first wins and a repeated sweep cancels nothing twice). A durable reminder brings the sweep back after a restart or
/// a silo's death; late orders are then cancelled at once. It stops once the campaign's last order can no longer
/// expire (the campaign ended, its window passed, and nothing is pending).</summary>
public sealed partial class PaymentSweepGrain(IOrderJournal journal, TimeProvider clock, ILogger<PaymentSweepGrain> logger)
    : Grain, IPaymentSweepGrain, IRemindable
{
    public const string ReminderName = "payments";
    public static readonly TimeSpan SweepEvery = TimeSpan.FromSeconds(1);
    /// <summary>The reminder's period: how late a sweep can be after a restart (Orleans' shortest reminder period).</summary>
    private static readonly TimeSpan ReminderPeriod = TimeSpan.FromMinutes(1);
    private const int Batch = 200;
    private const int Parallelism = 16;

    private IGrainTimer? _timer;
    private CampaignDefinition? _campaign;

    private string CampaignId => this.GetPrimaryKeyString();

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _timer = this.RegisterGrainTimer(_ => TickAsync(), new GrainTimerCreationOptions(SweepEvery, SweepEvery) { KeepAlive = true });
        return Task.CompletedTask;
    }

    public async Task StartAsync()
    {
        if (await this.GetReminder(ReminderName) is null)
            await this.RegisterOrUpdateReminder(ReminderName, ReminderPeriod, ReminderPeriod);
    }

    public Task ReceiveReminder(string reminderName, TickStatus status) => reminderName == ReminderName ? TickAsync() : Task.CompletedTask;

    private async Task TickAsync()
    {
        try
        {
            await SweepAsync();
            if (await FinishedAsync()) await StopAsync();
        }
        catch (Exception e)
        {
            LogSweepFailed(logger, e, CampaignId, SweepEvery);
        }
    }

    public async Task<int> SweepAsync()
    {
        var cancelled = 0;
        while (true)
        {
            var due = await journal.ExpiringPaymentsAsync(CampaignId, clock.GetUtcNow(), Batch);
            var expired = 0;
            foreach (var chunk in due.Chunk(Parallelism))
                expired += (await Task.WhenAll(chunk.Select(id => GrainFactory.GetGrain<IOrderGrain>(id).ExpireIfDueAsync()))).Count(x => x);
            cancelled += expired;
            // A full batch may have more behind it; one that cancelled nothing (shipped orders) would loop forever.
            if (due.Count < Batch || expired == 0) break;
        }
        if (cancelled > 0) LogExpired(logger, CampaignId, cancelled);
        return cancelled;
    }

    /// <summary>Nothing can expire any more: the campaign is gone, or it ended, its window passed, and nothing is pending.</summary>
    private async Task<bool> FinishedAsync()
    {
        _campaign ??= (await GrainFactory.GetGrain<ICampaignGrain>(CampaignId).GetAsync())?.Definition;
        if (_campaign is not { } campaign) return true;
        var lastDeadline = campaign.EndsAt + TimeSpan.FromSeconds(campaign.PaymentWindowSeconds ?? 0) + CampaignGrain.CloseGrace;
        return clock.GetUtcNow() > lastDeadline && (await journal.ExpiringPaymentsAsync(CampaignId, DateTimeOffset.MaxValue, 1)).Count == 0;
    }

    private async Task StopAsync()
    {
        if (await this.GetReminder(ReminderName) is { } reminder) await this.UnregisterReminder(reminder);
        _timer?.Dispose();
        _timer = null;
        DeactivateOnIdle();
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Campaign {CampaignId}: the payment sweep failed; it runs again in {Period}")]
    private static partial void LogSweepFailed(ILogger logger, Exception exception, string campaignId, TimeSpan period);

    [LoggerMessage(Level = LogLevel.Information, Message = "Campaign {CampaignId}: {Cancelled} orders not paid in time were cancelled")]
    private static partial void LogExpired(ILogger logger, string campaignId, int cancelled);
}
