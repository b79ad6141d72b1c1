using Microsoft.Extensions.Logging;
using Routing.Contracts.Orders;

namespace Routing.Grains.Orders;

/// <summary>How a sweep keeps orders' deadlines (each campaign's payment sweep, the decision sweep): every
/// <see cref="Every"/> while it is active, and after a restart by its durable reminder, it asks the journal's index for
/// what is due (<see cref="DueAsync"/>) and has each order's grain expire it — the order checks its own deadline, so a
/// payment or decision that got there first wins and a repeated sweep cancels nothing twice. A sweep with nothing left
/// to keep (<see cref="FinishedAsync"/>) stops: its reminder is removed and it deactivates.</summary>
public abstract partial class DeadlineSweepGrain(ILogger logger) : Grain, IRemindable
{
    public static readonly TimeSpan Every = TimeSpan.FromSeconds(1);
    /// <summary>The reminder's period: how late a sweep can be after a restart (Orleans' shortest reminder period).</summary>
    private static readonly TimeSpan ReminderPeriod = TimeSpan.FromMinutes(1);
    private const int Batch = 200;
    private const int Parallelism = 16;

    private IGrainTimer? _timer;
    /// <summary>This sweep's grain id, named in its log lines.</summary>
    private GrainId _id;

    protected abstract string ReminderName { get; }

    /// <summary>Up to <paramref name="limit"/> orders whose deadline has passed, earliest first.</summary>
    protected abstract Task<IReadOnlyList<string>> DueAsync(int limit);

    /// <summary>Whether nothing can fall due any more (checked after each timed sweep); never, unless a sweep says so.</summary>
    protected virtual Task<bool> FinishedAsync() => Task.FromResult(false);

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _id = this.GetGrainId();
        _timer = this.RegisterGrainTimer(_ => TickAsync(), new GrainTimerCreationOptions(Every, Every) { KeepAlive = true });
        return Task.CompletedTask;
    }

    /// <summary>Makes sure the sweep runs (idempotent): its durable reminder brings it back after a restart.</summary>
    public async Task StartAsync()
    {
        if (await this.GetReminder(ReminderName) is null)
            await this.RegisterOrUpdateReminder(ReminderName, ReminderPeriod, ReminderPeriod);
    }

    public Task ReceiveReminder(string reminderName, TickStatus status) => reminderName == ReminderName ? TickAsync() : Task.CompletedTask;

    /// <summary>Expires every order that is due; how many were cancelled.</summary>
    public async Task<int> SweepAsync()
    {
        var cancelled = 0;
        while (true)
        {
            var due = await DueAsync(Batch);
            var expired = 0;
            foreach (var chunk in due.Chunk(Parallelism))
                expired += (await Task.WhenAll(chunk.Select(id => GrainFactory.GetGrain<IOrderGrain>(id).ExpireIfDueAsync()))).Count(x => x);
            cancelled += expired;
            // A full batch may have more behind it; one that cancelled nothing (shipped orders) would loop forever.
            if (due.Count < Batch || expired == 0) break;
        }
        if (cancelled > 0) LogExpired(logger, _id, cancelled);
        return cancelled;
    }

    private async Task TickAsync()
    {
        try
        {
            await SweepAsync();
            if (await FinishedAsync()) await StopAsync();
        }
        catch (Exception e)
        {
            LogSweepFailed(logger, e, _id, Every);
        }
    }

    private async Task StopAsync()
    {
        if (await this.GetReminder(ReminderName) is { } reminder) await this.UnregisterReminder(reminder);
        _timer?.Dispose();
        _timer = null;
        DeactivateOnIdle();
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Sweep} failed; it runs again in {Period}")]
    private static partial void LogSweepFailed(ILogger logger, Exception exception, GrainId sweep, TimeSpan period);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Sweep}: {Cancelled} orders past their deadline were cancelled")]
    private static partial void LogExpired(ILogger logger, GrainId sweep, int cancelled);
}
