using Routing.Contracts.Orders;

namespace Routing.Grains.Orders;

/// <summary>How a sweep keeps orders' deadlines (the payment sweeps, the decision sweep): it asks the journal's index
/// for what is due and has each order's grain expire it — the order checks its own deadline, so a payment or decision
/// that got there first wins and a repeated sweep cancels nothing twice. How often and by what the sweeps run (a grain
/// timer while active, a durable reminder after a restart) is theirs.</summary>
public static class DeadlineSweep
{
    /// <summary>Timer period of a sweep while it is active.</summary>
    public static readonly TimeSpan Every = TimeSpan.FromSeconds(1);
    /// <summary>The reminder's period: how late a sweep can be after a restart (Orleans' shortest reminder period).</summary>
    public static readonly TimeSpan ReminderPeriod = TimeSpan.FromMinutes(1);
    private const int Batch = 200;
    private const int Parallelism = 16;

    /// <summary>Expires every order <paramref name="due"/> answers (it is asked for up to a batch at a time, earliest
    /// first); how many were cancelled.</summary>
    public static async Task<int> RunAsync(IGrainFactory grains, Func<int, Task<IReadOnlyList<string>>> due)
    {
        var cancelled = 0;
        while (true)
        {
            var batch = await due(Batch);
            var expired = 0;
            foreach (var chunk in batch.Chunk(Parallelism))
                expired += (await Task.WhenAll(chunk.Select(id => grains.GetGrain<IOrderGrain>(id).ExpireIfDueAsync()))).Count(x => x);
            cancelled += expired;
            // A full batch may have more behind it; one that cancelled nothing (shipped orders) would loop forever.
            if (batch.Count < Batch || expired == 0) return cancelled;
        }
    }
}
