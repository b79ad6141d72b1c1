using Microsoft.Extensions.Logging;
using Routing.Contracts.Campaigns;
using Routing.Contracts.Orders;
using Routing.Grains.Campaigns;
using Routing.Grains.History;

namespace Routing.Grains.Orders;

/// <summary>One campaign's payment deadlines. The order path pays nothing for them beyond the order's record: the
/// journal indexes each order by when its payment expires, and this grain sweeps it every second
/// (<see cref="DeadlineSweep"/>). A durable reminder brings the sweep back after a restart or
/// a silo's death; late orders are then cancelled at once. It stops once the campaign's last order can no longer
/// expire (the campaign ended, its window passed, and nothing is pending).</summary>
public sealed partial class PaymentSweepGrain(IOrderJournal journal, TimeProvider clock, ILogger<PaymentSweepGrain> logger)
    : Grain, IPaymentSweepGrain, IRemindable
{
    public const string ReminderName = "payments";
    private IGrainTimer? _timer;
    private CampaignDefinition? _campaign;

    private string CampaignId => this.GetPrimaryKeyString();

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _timer = this.RegisterGrainTimer(_ => TickAsync(), new GrainTimerCreationOptions(DeadlineSweep.Every, DeadlineSweep.Every) { KeepAlive = true });
        return Task.CompletedTask;
    }

    public async Task StartAsync()
    {
        if (await this.GetReminder(ReminderName) is null)
            await this.RegisterOrUpdateReminder(ReminderName, DeadlineSweep.ReminderPeriod, DeadlineSweep.ReminderPeriod);
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
            LogSweepFailed(logger, e, CampaignId, DeadlineSweep.Every);
        }
    }

    public async Task<int> SweepAsync()
    {
        var cancelled = await DeadlineSweep.RunAsync(GrainFactory, batch => journal.ExpiringPaymentsAsync(CampaignId, clock.GetUtcNow(), batch));
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
