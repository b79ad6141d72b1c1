using Microsoft.Extensions.Logging;
using Routing.Contracts.Orders;
using Routing.Grains.History;

namespace Routing.Grains.Orders;

/// <summary>The deadlines of orders waiting for a decision: held orders the review rules auto-reject, pre-orders that
/// expire. The journal indexes each such order by its <c>expiresAt</c>; this grain asks it every <see cref="SweepEvery"/>
/// for what is due and has each order's grain expire it (the grain checks the deadline itself, so a decision that
/// arrives first wins and a repeated sweep cancels nothing twice). Started when a silo starts and kept by a durable
/// reminder, so a restart or a silo's death only delays it; late orders are then cancelled at once. Each tick is one
/// indexed query that finds nothing most of the time.</summary>
public sealed partial class DecisionSweepGrain(IOrderJournal journal, TimeProvider clock, ILogger<DecisionSweepGrain> logger)
    : Grain, IDecisionSweepGrain, IRemindable
{
    public const string ReminderName = "decisions";
    public static readonly TimeSpan SweepEvery = TimeSpan.FromSeconds(1);
    /// <summary>The reminder's period: how late a sweep can be after a restart (Orleans' shortest reminder period).</summary>
    private static readonly TimeSpan ReminderPeriod = TimeSpan.FromMinutes(1);
    private const int Batch = 200;
    private const int Parallelism = 16;

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        this.RegisterGrainTimer(_ => TickAsync(), new GrainTimerCreationOptions(SweepEvery, SweepEvery) { KeepAlive = true });
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
        }
        catch (Exception e)
        {
            LogSweepFailed(logger, e, SweepEvery);
        }
    }

    public async Task<int> SweepAsync()
    {
        var cancelled = 0;
        while (true)
        {
            var due = await journal.DecisionsDueAsync(clock.GetUtcNow(), Batch);
            var expired = 0;
            foreach (var chunk in due.Chunk(Parallelism))
                expired += (await Task.WhenAll(chunk.Select(id => GrainFactory.GetGrain<IOrderGrain>(id).ExpireIfDueAsync()))).Count(x => x);
            cancelled += expired;
            // A full batch may have more behind it; one that cancelled nothing would loop forever.
            if (due.Count < Batch || expired == 0) break;
        }
        if (cancelled > 0) LogExpired(logger, cancelled);
        return cancelled;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The decision sweep failed; it runs again in {Period}")]
    private static partial void LogSweepFailed(ILogger logger, Exception exception, TimeSpan period);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Cancelled} held orders or pre-orders past their deadline were cancelled")]
    private static partial void LogExpired(ILogger logger, int cancelled);
}
