namespace Routing.Grains.Infrastructure;

/// <summary>Group commit for a reentrant grain's state: every change made while a write is in flight is covered by the
/// next write, so a hot grain does one write for many concurrent calls instead of one each, and each caller is answered
/// only once a write that began after its change has finished (its change is durable).
/// Must be used from the grain's own turns only (it relies on the activation being single-threaded).</summary>
/// <remarks>After a failed write the in-memory state may be ahead of storage: the grain is deactivated (see
/// <see cref="PersistentStateExtensions.SaveAsync{T}"/>) and every later commit of this activation fails too, so no
/// change made on top of the lost ones is ever acknowledged.</remarks>
public sealed class GroupCommit(Func<Task> write)
{
    private TaskCompletionSource? _next;
    private bool _writing;
    private Exception? _broken;

    /// <summary>Writes in flight or queued; for tests and diagnostics.</summary>
    public int Writes { get; private set; }

    /// <summary>Completes once every change made before this call is durable.</summary>
    public Task CommitAsync()
    {
        if (_broken is not null) return Task.FromException(_broken);
        _next ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var mine = _next.Task;
        if (!_writing) _ = PumpAsync();
        return mine;
    }

    /// <summary>Completes once what is already in memory is durable: immediately when nothing is being written.</summary>
    public Task DurableAsync() => _writing || _next is not null ? CommitAsync() : Task.CompletedTask;

    private async Task PumpAsync()
    {
        _writing = true;
        try
        {
            while (_next is { } batch)
            {
                _next = null;
                if (_broken is not null)
                {
                    batch.SetException(_broken);
                    continue;
                }
                try
                {
                    Writes++;
                    await write();
                    batch.SetResult();
                }
                catch (Exception e)
                {
                    _broken = e;
                    batch.SetException(e);
                }
            }
        }
        finally
        {
            _writing = false;
        }
    }
}
