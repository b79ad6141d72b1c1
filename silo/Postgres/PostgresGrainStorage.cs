using Microsoft.Extensions.Logging;
using Npgsql;
using NpgsqlTypes;
using Orleans.Storage;

namespace Routing.Silo.Postgres;

/// <summary>Grain state in PostgreSQL (<c>routing_grain_state</c>, one row per grain and state name), written with group
/// commit: every state write of this silo that arrives while another batch is in flight goes out with the next batch,
/// as one UPDATE and one INSERT in one transaction, so a flash sale costs the database one commit (one WAL flush) for hundreds of
/// grains' writes instead of one each. A write is answered only when its batch has committed, so durability is the same
/// as one transaction per write. Reads on activation are batched the same way.
/// The version column is the optimistic-concurrency token (the grain state's ETag): a write names the version it read
/// (none for a first write) and changes nothing if the row has moved on, and that write alone fails with
/// <see cref="InconsistentStateException"/>; the rest of its batch is unaffected. A write or read the database refuses
/// for its data (a grain key with a NUL character) fails alone too: <see cref="BatchQueue{T}"/> splits its batch.</summary>
public sealed partial class PostgresGrainStorage : IGrainStorage, IAsyncDisposable
{
    /// <summary>Most writes (or reads) one round trip carries.</summary>
    private const int MaxBatch = 1000;
    /// <summary>Batches in flight at once: one filling while another commits keeps the database busy without piling up.</summary>
    private const int Lanes = 2;

    private readonly string _serviceId;
    private readonly IGrainStorageSerializer _serializer;
    private readonly ILogger _logger;
    private readonly NpgsqlDataSource _db;
    private readonly BatchQueue<PendingWrite> _writes;
    private readonly BatchQueue<PendingRead> _reads;

    /// <param name="db">The process's data source (its pool); owned by the caller.</param>
    public PostgresGrainStorage(NpgsqlDataSource db, string serviceId, IGrainStorageSerializer serializer, ILogger<PostgresGrainStorage> logger)
    {
        _db = db;
        _serviceId = serviceId;
        _serializer = serializer;
        _logger = logger;
        _writes = new BatchQueue<PendingWrite>(Lanes, MaxBatch, WriteBatchAsync, Fail);
        _reads = new BatchQueue<PendingRead>(Lanes, MaxBatch, ReadBatchAsync, Fail);
    }

    public async Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        var read = new PendingRead(grainId.ToString(), stateName);
        if (!_reads.TryAdd(read)) throw Closed();
        var (version, payload) = await read.Done.Task;
        grainState.ETag = version?.ToString(System.Globalization.CultureInfo.InvariantCulture);
        grainState.RecordExists = payload is not null;
        grainState.State = payload is null ? Activator.CreateInstance<T>() : _serializer.Deserialize<T>(new BinaryData(payload));
    }

    public Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        WriteAsync(grainId, stateName, grainState, _serializer.Serialize(grainState.State).ToArray());

    public Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        // Clearing keeps the row, without a payload, so its version keeps counting and a stale writer still conflicts.
        grainState.ETag is null ? Cleared(grainState) : WriteAsync(grainId, stateName, grainState, payload: null);

    public async ValueTask DisposeAsync()
    {
        // What was queued is written before the process ends.
        await _writes.CloseAsync();
        await _reads.CloseAsync();
    }

    private static Task Cleared<T>(IGrainState<T> grainState)
    {
        grainState.State = Activator.CreateInstance<T>();
        grainState.RecordExists = false;
        return Task.CompletedTask;
    }

    private async Task WriteAsync<T>(GrainId grainId, string stateName, IGrainState<T> grainState, byte[]? payload)
    {
        int? expected = grainState.ETag is null ? null : int.Parse(grainState.ETag, System.Globalization.CultureInfo.InvariantCulture);
        var write = new PendingWrite(grainId.ToString(), stateName, expected, payload);
        if (!_writes.TryAdd(write)) throw Closed();
        var written = await write.Done.Task
            ?? throw new InconsistentStateException(
                $"{stateName} of {grainId} was changed elsewhere since this activation read it (expected version {grainState.ETag ?? "none"})",
                storedEtag: "unknown", currentEtag: grainState.ETag ?? "none");
        grainState.ETag = written.ToString(System.Globalization.CultureInfo.InvariantCulture);
        grainState.RecordExists = payload is not null;
        if (payload is null) grainState.State = Activator.CreateInstance<T>();
    }

    /// <summary>Two statements in one transaction: updates of rows at their expected version, inserts of first
    /// writes. A write that neither touched conflicted.</summary>
    private async Task WriteBatchAsync(List<PendingWrite> batch)
    {
        // A grain never has two writes of one state in flight; if it did, the later one is a conflict, not a lost update.
        // A write answered so already is skipped when its batch runs again in halves (see BatchQueue).
        var seen = new HashSet<(string, string)>();
        var unique = new List<PendingWrite>(batch.Count);
        foreach (var write in batch)
        {
            if (write.Done.Task.IsCompleted) continue;
            if (seen.Add((write.GrainId, write.StateName))) unique.Add(write);
            else write.Done.TrySetResult(null);
        }
        if (unique.Count == 0) return;
        var updates = unique.Where(w => w.Expected is not null).ToList();
        var inserts = unique.Where(w => w.Expected is null).ToList();
        await using var command = _db.CreateBatch();
        if (updates.Count > 0)
        {
            var update = new NpgsqlBatchCommand("""
                UPDATE routing_grain_state s
                   SET payload = u.payload, version = s.version + 1, modified_on = now()
                  FROM unnest(@ids, @names, @versions, @payloads) AS u(grain_id, state_name, version, payload)
                 WHERE s.service_id = @service AND s.grain_id = u.grain_id AND s.state_name = u.state_name AND s.version = u.version
                RETURNING s.grain_id, s.state_name, s.version
                """);
            AddKeys(update, updates);
            update.Parameters.Add(new NpgsqlParameter<int[]>("versions", NpgsqlDbType.Array | NpgsqlDbType.Integer)
            {
                TypedValue = [.. updates.Select(w => w.Expected!.Value)],
            });
            update.Parameters.Add(new NpgsqlParameter<byte[]?[]>("payloads", NpgsqlDbType.Array | NpgsqlDbType.Bytea)
            {
                TypedValue = [.. updates.Select(w => w.Payload)],
            });
            command.BatchCommands.Add(update);
        }
        if (inserts.Count > 0)
        {
            var insert = new NpgsqlBatchCommand("""
                INSERT INTO routing_grain_state (service_id, grain_id, state_name, version, payload, modified_on)
                SELECT @service, u.grain_id, u.state_name, 1, u.payload, now()
                  FROM unnest(@ids, @names, @payloads) AS u(grain_id, state_name, payload)
                ON CONFLICT DO NOTHING
                RETURNING grain_id, state_name, version
                """);
            AddKeys(insert, inserts);
            insert.Parameters.Add(new NpgsqlParameter<byte[]?[]>("payloads", NpgsqlDbType.Array | NpgsqlDbType.Bytea)
            {
                TypedValue = [.. inserts.Select(w => w.Payload)],
            });
            command.BatchCommands.Add(insert);
        }

        // A multi-statement batch is one implicit transaction: all of it commits, or none (and the queue splits it, or
        // fails every caller).
        var versions = new Dictionary<(string, string), int>();
        await using (var reader = await command.ExecuteReaderAsync())
        {
            do
            {
                while (await reader.ReadAsync()) versions[(reader.GetString(0), reader.GetString(1))] = reader.GetInt32(2);
            } while (await reader.NextResultAsync());
        }
        foreach (var write in unique)
            write.Done.TrySetResult(versions.TryGetValue((write.GrainId, write.StateName), out var version) ? version : null);
    }

    private async Task ReadBatchAsync(List<PendingRead> batch)
    {
        await using var command = _db.CreateCommand("""
            SELECT s.grain_id, s.state_name, s.version, s.payload
              FROM unnest(@ids, @names) AS u(grain_id, state_name)
              JOIN routing_grain_state s ON s.service_id = @service AND s.grain_id = u.grain_id AND s.state_name = u.state_name
            """);
        AddKeys(command.Parameters, [.. batch.Select(r => (r.GrainId, r.StateName))]);
        var rows = new Dictionary<(string, string), (int?, byte[]?)>();
        await using (var reader = await command.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
                rows[(reader.GetString(0), reader.GetString(1))] =
                    (reader.GetInt32(2), reader.IsDBNull(3) ? null : reader.GetFieldValue<byte[]>(3));
        }
        foreach (var read in batch)
            read.Done.TrySetResult(rows.TryGetValue((read.GrainId, read.StateName), out var row) ? row : (null, null));
    }

    private void AddKeys(NpgsqlBatchCommand command, List<PendingWrite> writes) =>
        AddKeys(command.Parameters, [.. writes.Select(w => (w.GrainId, w.StateName))]);

    private void AddKeys(NpgsqlParameterCollection parameters, List<(string GrainId, string StateName)> keys)
    {
        parameters.Add(new NpgsqlParameter<string>("service", NpgsqlDbType.Text) { TypedValue = _serviceId });
        parameters.Add(new NpgsqlParameter<string[]>("ids", NpgsqlDbType.Array | NpgsqlDbType.Text) { TypedValue = [.. keys.Select(k => k.GrainId)] });
        parameters.Add(new NpgsqlParameter<string[]>("names", NpgsqlDbType.Array | NpgsqlDbType.Text) { TypedValue = [.. keys.Select(k => k.StateName)] });
    }

    private void Fail(List<PendingWrite> batch, Exception e)
    {
        LogWritesFailed(_logger, e, batch.Count);
        foreach (var write in batch) write.Done.TrySetException(e);
    }

    private void Fail(List<PendingRead> batch, Exception e)
    {
        LogReadsFailed(_logger, e, batch.Count);
        foreach (var read in batch) read.Done.TrySetException(e);
    }

    private static ObjectDisposedException Closed() => new(nameof(PostgresGrainStorage), "the silo is shutting down");

    private sealed class PendingWrite(string grainId, string stateName, int? expected, byte[]? payload)
    {
        public string GrainId { get; } = grainId;
        public string StateName { get; } = stateName;
        public int? Expected { get; } = expected;
        public byte[]? Payload { get; } = payload;
        /// <summary>The row's new version, or null when the write conflicted.</summary>
        public TaskCompletionSource<int?> Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    private sealed class PendingRead(string grainId, string stateName)
    {
        public string GrainId { get; } = grainId;
        public string StateName { get; } = stateName;
        public TaskCompletionSource<(int? Version, byte[]? Payload)> Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Writing {Count} grain states failed; their grains are told so and keep them unacknowledged")]
    private static partial void LogWritesFailed(ILogger logger, Exception exception, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Reading {Count} grain states failed")]
    private static partial void LogReadsFailed(ILogger logger, Exception exception, int count);
}
