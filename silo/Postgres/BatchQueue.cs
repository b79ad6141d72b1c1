using System.Threading.Channels;

namespace Routing.Silo.Postgres;

/// <summary>Group commit for database work: items queue up while the database is busy and go out together, one round
/// trip (and, for writes, one transaction and one WAL flush) for everything that arrived meanwhile. With nothing in
/// flight an item goes out alone at once, so batching costs no latency when idle and saves most of it under load.
/// <paramref name="lanes"/> batches may be in flight at a time. The handler completes every item of its batch.</summary>
public sealed class BatchQueue<T>
{
    private readonly Channel<T> _queue = Channel.CreateUnbounded<T>();
    private readonly int _maxBatch;
    private readonly Func<List<T>, Task> _handle;
    private readonly Action<List<T>, Exception> _fail;
    private readonly Task[] _lanes;

    /// <param name="handle">Runs one batch and completes its items.</param>
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
            try
            {
                await _handle(batch);
            }
            catch (Exception e)
            {
                _fail(batch, e);
            }
        }
    }
}
