using Microsoft.Extensions.Logging;
using Routing.Contracts.Orders;
using Routing.Grains.History;

namespace Routing.Grains.Orders;

/// <summary>The deadlines of orders waiting for a decision: held orders the review rules auto-reject, pre-orders that
/// expire. The journal indexes each such order by its <c>expiresAt</c>; this grain sweeps it every second
/// (<see cref="DeadlineSweep"/>). Started when a silo starts and kept by a durable reminder, so a restart or a silo's
/// death only delays it; late orders are then cancelled at once. Each tick is one indexed query that finds nothing most
/// of the time.</summary>
public sealed partial class DecisionSweepGrain(IOrderJournal journal, TimeProvider clock, ILogger<DecisionSweepGrain> logger)
    : Grain, IDecisionSweepGrain, IRemindable
{
    public const string ReminderName = "decisions";

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        this.RegisterGrainTimer(_ => TickAsync(), new GrainTimerCreationOptions(DeadlineSweep.Every, DeadlineSweep.Every) { KeepAlive = true });
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
        }
        catch (Exception e)
        {
            LogSweepFailed(logger, e, DeadlineSweep.Every);
        }
    }

    public async Task<int> SweepAsync()
    {
        var cancelled = await DeadlineSweep.RunAsync(GrainFactory, batch => journal.DecisionsDueAsync(clock.GetUtcNow(), batch));
        if (cancelled > 0) LogExpired(logger, cancelled);
        return cancelled;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The decision sweep failed; it runs again in {Period}")]
    private static partial void LogSweepFailed(ILogger logger, Exception exception, TimeSpan period);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Cancelled} held orders or pre-orders past their deadline were cancelled")]
    private static partial void LogExpired(ILogger logger, int cancelled);
}
