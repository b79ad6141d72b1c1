using Microsoft.Extensions.Logging;
using Routing.Contracts.Campaigns;
using Routing.Contracts.Orders;
using Routing.Grains.Campaigns;
using Routing.Grains.History;

namespace Routing.Grains.Orders;

/// <summary>One campaign's payment deadlines. The order path pays nothing for them beyond the order's record: the
/// journal indexes each order by when its payment expires, and this grain sweeps it every second
/// (<see cref="DeadlineSweepGrain"/>). A durable reminder brings the sweep back after a restart or a silo's death; late
/// orders are then cancelled at once. It stops once the campaign's last order can no longer expire (the campaign
/// ended, its window passed, and nothing is pending).</summary>
public sealed class PaymentSweepGrain(IOrderJournal journal, TimeProvider clock, ILogger<PaymentSweepGrain> logger)
    : DeadlineSweepGrain(logger), IPaymentSweepGrain
{
    private CampaignDefinition? _campaign;

    private string CampaignId => this.GetPrimaryKeyString();

    protected override string ReminderName => "payments";

    protected override Task<IReadOnlyList<string>> DueAsync(int limit) => journal.ExpiringPaymentsAsync(CampaignId, clock.GetUtcNow(), limit);

    /// <summary>Nothing can expire any more: the campaign is gone, or it ended, its window passed, and nothing is pending.</summary>
    protected override async Task<bool> FinishedAsync()
    {
        _campaign ??= (await GrainFactory.GetGrain<ICampaignGrain>(CampaignId).GetAsync())?.Definition;
        if (_campaign is not { } campaign) return true;
        var lastDeadline = campaign.EndsAt + TimeSpan.FromSeconds(campaign.PaymentWindowSeconds ?? 0) + CampaignGrain.CloseGrace;
        return clock.GetUtcNow() > lastDeadline && (await journal.ExpiringPaymentsAsync(CampaignId, DateTimeOffset.MaxValue, 1)).Count == 0;
    }
}
