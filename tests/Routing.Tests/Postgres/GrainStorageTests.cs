using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using Orleans.Serialization;
using Orleans.Storage;
using Routing.Grains.Orders;
using Routing.Silo.Postgres;

namespace Routing.Tests.Postgres;

/// <summary>The group-commit grain storage against a real PostgreSQL: many grains' writes share a transaction, yet each
/// write keeps its own optimistic-concurrency check and its own answer.</summary>
[Collection(PostgresCollection.Name)]
public sealed class GrainStorageTests(PostgresFixture postgres)
{
    /// <summary>Grain state serialized as the silos do (Orleans' serializer); shared by the storage tests.</summary>
    internal static readonly IGrainStorageSerializer Serializer =
        new OrleansGrainStorageSerializer(new ServiceCollection().AddSerializer().BuildServiceProvider().GetRequiredService<Serializer>());

    [Fact]
    public async Task Concurrent_writes_of_many_grains_are_each_durable_with_their_own_version()
    {
        await using var storage = await StartAsync("gs_many");
        var states = Enumerable.Range(0, 500).Select(State).ToList();

        await Task.WhenAll(states.Select((s, i) => storage.WriteStateAsync("order", Order(i), s)));
        Assert.All(states, s => Assert.Equal("1", s.ETag));
        foreach (var s in states) s.State!.Revision += 1000;
        await Task.WhenAll(states.Select((s, i) => storage.WriteStateAsync("order", Order(i), s)));
        Assert.All(states, s => Assert.Equal("2", s.ETag));

        // Read back through a second storage, as another silo would.
        await using var other = await StartAsync(database: null);
        var read = Enumerable.Range(0, 500).Select(_ => new GrainState<OrderState>()).ToList();
        await Task.WhenAll(read.Select((s, i) => other.ReadStateAsync("order", Order(i), s)));
        Assert.All(read.Select((s, i) => (s, i)), x =>
        {
            Assert.True(x.s.RecordExists);
            Assert.Equal("2", x.s.ETag);
            Assert.Equal(x.i + 1000, x.s.State!.Revision);
        });

        var missing = new GrainState<OrderState>();
        await other.ReadStateAsync("order", Order(9999), missing);
        Assert.False(missing.RecordExists);
        Assert.Null(missing.ETag);
        Assert.NotNull(missing.State); // a fresh state, as Orleans expects
    }

    [Fact]
    public async Task A_stale_write_fails_alone_and_changes_nothing_while_its_batch_commits()
    {
        await using var storage = await StartAsync("gs_stale");
        var stale = State(0);
        await storage.WriteStateAsync("order", Order(0), stale);
        var current = new GrainState<OrderState>();
        await storage.ReadStateAsync("order", Order(0), current);
        current.State!.Revision = 7;
        await storage.WriteStateAsync("order", Order(0), current); // the row moves on to version 2

        stale.State!.Revision = 99;
        var others = Enumerable.Range(1, 200).Select(State).ToList();
        var staleWrite = storage.WriteStateAsync("order", Order(0), stale);
        var otherWrites = others.Select((s, i) => storage.WriteStateAsync("order", Order(i + 1), s)).ToList();

        await Assert.ThrowsAsync<InconsistentStateException>(() => staleWrite);
        await Task.WhenAll(otherWrites);
        Assert.Equal("1", stale.ETag);
        var stored = new GrainState<OrderState>();
        await storage.ReadStateAsync("order", Order(0), stored);
        Assert.Equal((7, "2"), (stored.State!.Revision, stored.ETag));
    }

    [Fact]
    public async Task Two_silos_racing_to_create_one_grain_store_exactly_one_first_write()
    {
        await using var a = await StartAsync("gs_race");
        await using var b = await StartAsync(database: null);
        for (var i = 0; i < 20; i++)
        {
            var fromA = State(1);
            var fromB = State(2);
            var writes = new[] { a.WriteStateAsync("order", Order(i), fromA), b.WriteStateAsync("order", Order(i), fromB) };
            var outcome = await Task.WhenAll(writes.Select(async w =>
            {
                try { await w; return true; }
                catch (InconsistentStateException) { return false; }
            }));
            Assert.Single(outcome, won => won);
        }
    }

    [Fact]
    public async Task Clearing_keeps_the_version_counting_so_a_stale_writer_still_conflicts()
    {
        await using var storage = await StartAsync("gs_clear");
        var state = State(5);
        await storage.WriteStateAsync("order", Order(1), state);
        var stale = new GrainState<OrderState> { ETag = state.ETag, State = new OrderState { Revision = 6 } };

        await storage.ClearStateAsync("order", Order(1), state);
        Assert.Equal(("2", false), (state.ETag, state.RecordExists));
        await Assert.ThrowsAsync<InconsistentStateException>(() => storage.WriteStateAsync("order", Order(1), stale));

        var read = new GrainState<OrderState>();
        await storage.ReadStateAsync("order", Order(1), read);
        Assert.Equal(("2", false), (read.ETag, read.RecordExists));
        read.State!.Revision = 8;
        await storage.WriteStateAsync("order", Order(1), read);
        Assert.Equal(("3", true), (read.ETag, read.RecordExists));
    }

    private string? _db;

    /// <summary>A storage on a new database named <paramref name="database"/>, or, with null, on the same database as
    /// the storage started before it (as a second silo would be).</summary>
    private async Task<PostgresGrainStorage> StartAsync(string? database)
    {
        if (database is not null)
        {
            _db = await postgres.CreateDatabaseAsync(database);
            await new SchemaMigrator(_db, NullLogger.Instance).MigrateAsync();
        }
        return new PostgresGrainStorage(NpgsqlDataSource.Create(_db!), "storage-tests", Serializer, NullLogger<PostgresGrainStorage>.Instance);
    }

    private static GrainId Order(int i) => GrainId.Create("order", $"o-{i}");

    private static GrainState<OrderState> State(int revision) => new() { State = new OrderState { Revision = revision } };
}
