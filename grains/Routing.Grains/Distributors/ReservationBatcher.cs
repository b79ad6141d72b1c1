using System.Collections.Concurrent;
using System.Diagnostics;
using Routing.Contracts.Distributors;

namespace Routing.Grains.Distributors;

/// <summary>The silo's reservations on their way to distributors, batched: while a call to a distributor is in flight,
/// the reservations that arrive for it wait, and go together as the next call
/// (<see cref="IDistributorGrain.ReserveManyAsync"/>), one turn there. Nothing waits for a timer: an
/// idle distributor gets a reservation at once, and under load the batches grow by themselves to what arrives while a
/// call is answered. (Two calls in flight measured no better on these 2 cores, and worse on PostgreSQL in three of
/// three runs, so one it is.) A call that
/// stalls (<see cref="StallAfter"/>) holds back only its own batch.</summary>
public sealed class ReservationBatcher(IGrainFactory grains)
{
    /// <summary>At most this many reservations travel in one call (bounded messages and turns).</summary>
    public const int MaxBatch = 256;

    /// <summary>A call in flight longer than this (a distributor on a silo that just died answers only at the call's
    /// timeout) no longer holds back what waits behind it: another sender starts.</summary>
    public static readonly TimeSpan StallAfter = TimeSpan.FromMilliseconds(250);

    private readonly ConcurrentDictionary<string, Queue> _queues = new(StringComparer.Ordinal);

    private sealed class Queue
    {
        public readonly Lock Gate = new();
        public List<Pending> Waiting = [];
        /// <summary>Calls being made (normally at most one), and when the latest began.</summary>
        public int Senders;
        public long LastSendAt;
    }

    private sealed record Pending(ReservationRequest Request, TaskCompletionSource<ReservationResult> Answer);

    /// <summary>Reserves one order's lines at one distributor (durable once the order's journal record names the answer's epoch).</summary>
    public async Task<ReservationResult> ReserveAsync(string distributorId, ReservationRequest request)
    {
        var queue = _queues.GetOrAdd(distributorId, _ => new Queue());
        Pending? waiting = null;
        var startSender = false;
        lock (queue.Gate)
        {
            if (queue.Senders > 0)
            {
                waiting = new Pending(request, new TaskCompletionSource<ReservationResult>(TaskCreationOptions.RunContinuationsAsynchronously));
                queue.Waiting.Add(waiting);
                if (Stopwatch.GetElapsedTime(queue.LastSendAt) > StallAfter)
                {
                    queue.Senders++;
                    queue.LastSendAt = Stopwatch.GetTimestamp();
                    startSender = true;
                }
            }
            else
            {
                queue.Senders = 1;
                queue.LastSendAt = Stopwatch.GetTimestamp();
            }
        }
        if (waiting is not null)
        {
            if (startSender) _ = Task.Run(() => SendAsync(distributorId, queue));
            return await waiting.Answer.Task;
        }

        // Nothing in flight: this call goes at once, from the caller's own turn (no hop). What arrives meanwhile is sent
        // by a sender of its own, off any grain's scheduler: it serves every grain's orders and outlives this turn.
        try
        {
            return (await grains.GetGrain<IDistributorGrain>(distributorId).ReserveManyAsync([request]))[0];
        }
        finally
        {
            bool more;
            lock (queue.Gate)
            {
                more = queue.Waiting.Count > 0;
                if (!more) queue.Senders--;
            }
            if (more) _ = Task.Run(() => SendAsync(distributorId, queue));
        }
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
                queue.LastSendAt = Stopwatch.GetTimestamp();
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
