using System.Collections.Concurrent;
using Routing.Contracts.Distributors;

namespace Routing.Grains.Distributors;

/// <summary>The silo's reservations on their way to distributors, batched: while <see cref="MaxInFlight"/> calls to a
/// distributor are in flight, the reservations that arrive for it wait, and go together as the next call
/// (<see cref="IDistributorGrain.ReserveManyAsync"/>), one turn and one durable write there. Nothing waits for a timer: an
/// idle distributor gets a reservation at once, and under load the batches grow by themselves to what arrives while a
/// call is answered. (Two calls in flight measured no better on these 2 cores, and worse on PostgreSQL in three of
/// three runs, so one it is; the distributor's own group commit still joins calls from several silos.)</summary>
public sealed class ReservationBatcher(IGrainFactory grains)
{
    /// <summary>At most this many reservations travel in one call (bounded messages and turns).</summary>
    public const int MaxBatch = 256;
    public const int MaxInFlight = 1;

    private readonly ConcurrentDictionary<string, Queue> _queues = new(StringComparer.Ordinal);

    private sealed class Queue
    {
        public readonly Lock Gate = new();
        public List<Pending> Waiting = [];
        public int Senders;
    }

    private sealed record Pending(ReservationRequest Request, TaskCompletionSource<ReservationResult> Answer);

    /// <summary>Reserves one order's lines at one distributor, answered once the distributor's write holding it is durable.</summary>
    public Task<ReservationResult> ReserveAsync(string distributorId, ReservationRequest request)
    {
        var queue = _queues.GetOrAdd(distributorId, _ => new Queue());
        var pending = new Pending(request, new TaskCompletionSource<ReservationResult>(TaskCreationOptions.RunContinuationsAsynchronously));
        bool start;
        lock (queue.Gate)
        {
            queue.Waiting.Add(pending);
            start = queue.Senders < MaxInFlight;
            if (start) queue.Senders++;
        }
        // Off the calling grain's scheduler: the sender outlives the turn that started it and serves every grain's orders.
        if (start) _ = Task.Run(() => SendAsync(distributorId, queue));
        return pending.Answer.Task;
    }

    private async Task SendAsync(string distributorId, Queue queue)
    {
        var distributor = grains.GetGrain<IDistributorGrain>(distributorId);
        while (true)
        {
            List<Pending> batch;
            lock (queue.Gate)
            {
                if (queue.Waiting.Count == 0)
                {
                    queue.Senders--;
                    return;
                }
                if (queue.Waiting.Count <= MaxBatch)
                {
                    batch = queue.Waiting;
                    queue.Waiting = [];
                }
                else
                {
                    batch = queue.Waiting[..MaxBatch];
                    queue.Waiting.RemoveRange(0, MaxBatch);
                }
            }
            try
            {
                var answers = await distributor.ReserveManyAsync([.. batch.Select(p => p.Request)]);
                for (var i = 0; i < batch.Count; i++) batch[i].Answer.TrySetResult(answers[i]);
            }
            catch (Exception e)
            {
                // Each order gives back what it may hold (releasing is idempotent) and fails on its own.
                foreach (var pending in batch) pending.Answer.TrySetException(e);
            }
        }
    }
}
