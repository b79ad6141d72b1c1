using Microsoft.Extensions.Logging;
using Routing.Contracts.Distributors;
using Routing.Domain;

namespace Routing.Grains.Distributors;

/// <summary>The silo's outbox of distributor snapshots for the <see cref="IDistributorDirectoryGrain"/>: the silo's
/// distributors put their latest snapshot here, and one call carries every distributor's latest to the directory, at
/// most every <see cref="Window"/>. So the one directory grain hears from each silo a few dozen times a second however
/// many distributors are busy, not once per distributor per change. Batches go one at a time, in order; a snapshot never
/// replaces a newer one of the same distributor (<see cref="DistributorSnapshot.Version"/>).</summary>
public sealed partial class SnapshotOutbox(IGrainFactory grains, ILogger<SnapshotOutbox> logger)
{
    /// <summary>How long a snapshot may wait for others to share its call.</summary>
    public static readonly TimeSpan Window = TimeSpan.FromMilliseconds(25);
    private static readonly TimeSpan RetryAfter = TimeSpan.FromMilliseconds(250);

    private readonly Lock _gate = new();
    private Dictionary<string, DistributorSnapshot> _pending = new(StringComparer.Ordinal);
    private TaskCompletionSource _sent = NewSignal();
    private TaskCompletionSource _urgent = NewSignal();
    private bool _pumping;

    /// <summary>Sends the snapshot within the window, with whatever else arrives meanwhile.</summary>
    public void Put(DistributorSnapshot snapshot) => _ = Enqueue(snapshot, urgent: false);

    /// <summary>Sends the snapshot (and everything pending) now; completes when the directory has it.</summary>
    public Task PushAsync(DistributorSnapshot snapshot) => Enqueue(snapshot, urgent: true);

    private Task Enqueue(DistributorSnapshot snapshot, bool urgent)
    {
        lock (_gate)
        {
            if (!_pending.TryGetValue(snapshot.Id, out var queued) || queued.Version <= snapshot.Version)
                _pending[snapshot.Id] = snapshot;
            if (urgent) _urgent.TrySetResult();
            if (!_pumping)
            {
                _pumping = true;
                _ = Task.Run(PumpAsync);
            }
            return _sent.Task;
        }
    }

    private async Task PumpAsync()
    {
        while (true)
        {
            Task urgent;
            lock (_gate) urgent = _urgent.Task;
            await Task.WhenAny(urgent, Task.Delay(Window));

            Dictionary<string, DistributorSnapshot> batch;
            TaskCompletionSource sent;
            lock (_gate)
            {
                if (_pending.Count == 0)
                {
                    _pumping = false;
                    return;
                }
                (batch, _pending) = (_pending, new(StringComparer.Ordinal));
                (sent, _sent) = (_sent, NewSignal());
                if (_urgent.Task.IsCompleted) _urgent = NewSignal();
            }
            try
            {
                await grains.GetGrain<IDistributorDirectoryGrain>(0).UpdateManyAsync([.. batch.Values]);
                sent.TrySetResult();
            }
            catch (Exception e)
            {
                LogSendFailed(logger, e, batch.Count);
                sent.TrySetException(e);
                lock (_gate)
                {
                    foreach (var (id, snapshot) in batch)
                        if (!_pending.TryGetValue(id, out var newer) || newer.Version < snapshot.Version) _pending[id] = snapshot;
                }
                await Task.Delay(RetryAfter);
            }
        }
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Sending {Count} distributor snapshots to the directory failed; will send them again")]
    private static partial void LogSendFailed(ILogger logger, Exception exception, int count);
}
