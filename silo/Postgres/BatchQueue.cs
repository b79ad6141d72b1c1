using System.Threading.Channels;
using Npgsql;

namespace Routing.Silo.Postgres;

/// <summary>Group commit for database work: items queue up while the database is busy and go out together, one round
/// trip (and, for writes, one transaction and one WAL flush) for everything that arrived meanwhile. With nothing in
/// flight an item goes out alone at once, so batching costs no latency when idle and saves most of it under load.
/// Up to <c>lanes</c> batches (a constructor argument) may be in flight at a time. The handler completes every item of its batch.
/// A batch the database refuses for its data (<see cref="BatchQueue.IsRefusedForData"/>) is split in halves and each
/// half runs again, down to single items, so only the items carrying the bad data fail: one caller's bad row never
/// fails the others that shared its batch. Any other failure (the database is down) fails the batch as it is, once.</summary>
public sealed class BatchQueue<T>
{
    private readonly Channel<T> _queue = Channel.CreateUnbounded<T>();
    private readonly int _maxBatch;
    private readonly Func<List<T>, Task> _handle;
    private readonly Action<List<T>, Exception> _fail;
    private readonly Task[] _lanes;

    /// <param name="handle">Runs one batch and completes its items. It may see an item again after a split: it must
    /// leave items it already completed alone.</param>
    /// <param name="fail">Completes a batch's items with the exception that <paramref name="handle"/> threw.</param>
    public BatchQueue(int lanes, int maxBatch, Func<List<T>, Task> handle, Action<List<T>, Exception> fail)
    {
        _maxBatch = maxBatch;
        _handle = handle;
        _fail = fail;
        _lanes = [.. Enumerable.Range(0, lanes).Select(_ => Task.Run(LaneAsync))];
    }

    /// <summary>Queues an item; false once the queue is closed.</summary>
    public bool TryAdd(T item) => _queue.Writer.TryWrite(item);

    /// <summary>Stops taking items and waits until everything queued has gone out.</summary>
    public Task CloseAsync()
    {
        _queue.Writer.TryComplete();
        return Task.WhenAll(_lanes);
    }

    private async Task LaneAsync()
    {
        while (await _queue.Reader.WaitToReadAsync())
        {
            var batch = new List<T>();
            while (batch.Count < _maxBatch && _queue.Reader.TryRead(out var item)) batch.Add(item);
            if (batch.Count == 0) continue;
            await RunAsync(batch);
        }
    }

    private async Task RunAsync(List<T> batch)
    {
        try
        {
            await _handle(batch);
        }
        catch (Exception e) when (batch.Count > 1 && BatchQueue.IsRefusedForData(e))
        {
            // The database does not say which row it refused: halving finds the bad items in a few round trips each,
            // and every half without one commits as usual.
            var half = batch.Count / 2;
            await RunAsync(batch.GetRange(0, half));
            await RunAsync(batch.GetRange(half, batch.Count - half));
        }
        catch (Exception e)
        {
            _fail(batch, e);
        }
    }
}

/// <summary>What <see cref="BatchQueue{T}"/> and its handlers share about failures.</summary>
public static class BatchQueue
{
    /// <summary>Whether PostgreSQL refused the work for what it carries: SQLSTATE class 22 (data exception, e.g. a NUL
    /// character in text or jsonb) or 23 (integrity constraint violation). Such work fails the same way every time, so
    /// it is split, never retried as it is; anything else (connection lost, server down) may be transient.</summary>
    public static bool IsRefusedForData(Exception e) =>
        e is PostgresException { SqlState: var state } && (state.StartsWith("22", StringComparison.Ordinal) || state.StartsWith("23", StringComparison.Ordinal));
}
