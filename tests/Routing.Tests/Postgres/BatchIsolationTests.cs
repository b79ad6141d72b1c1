using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Npgsql;
using Routing.Contracts.Orders;
using Routing.Domain;
using Routing.Grains.History;
using Routing.Grains.Orders;
using Routing.Silo.Postgres;

namespace Routing.Tests.Postgres;

/// <summary>Group commit never lets one caller's bad data fail another's: a batch PostgreSQL refuses for what one of its
/// rows carries (a NUL character, which text and jsonb refuse) is split until only the bad rows fail, for the order
/// journal, the ledger and the grain storage alike. A database that is down is not split: its batch fails once, without a retry storm.</summary>
[Collection(PostgresCollection.Name)]
public sealed class BatchIsolationTests(PostgresFixture postgres)
{
    [Fact]
    public async Task Poisoned_orders_fail_alone_and_every_order_sharing_their_batches_is_written()
    {
        var db = await DatabaseAsync("iso_orders");
        await using var journal = Journal(db);
        await using var history = History(db);
        // 300 orders at once, every fifth one carrying a NUL in a line's group or in its reason.
        var orders = Enumerable.Range(0, 300).Select(i => Order(i, poisoned: i % 5 == 0)).ToList();

        var outcomes = await Task.WhenAll(orders.Select(async o =>
        {
            try { return await journal.WriteAsync(Record(o.View), expectedVersion: null) == 1; }
            catch (PostgresException) { return false; }
        }));

        Assert.All(orders.Zip(outcomes), x => Assert.Equal(!x.First.Poisoned, x.Second));
        var stored = await history.FindOrdersAsync(new OrderSearch(CampaignId: "gb-iso", PageSize: 1000));
        Assert.Equal(orders.Where(o => !o.Poisoned).Select(o => o.View.OrderId).Order(), stored.Items.Select(o => o.OrderId).Order());
        Assert.All(stored.Items, o => Assert.Equal("g-ok", Assert.Single(o.Lines).Group));
    }

    [Fact]
    public async Task A_ledger_append_refused_for_its_data_fails_at_once_without_retry_delays()
    {
        var db = await DatabaseAsync("iso_fast");
        // The retries wait on this clock, and it never moves: an append that retried would never answer.
        await using var history = History(db, new FakeTimeProvider());
        Assert.True(await history.AppendLedgerAsync([Movement("d-0", 1, poisoned: false)]));

        // A refusal of the data never succeeds on retry, so it is not retried: it answers without waiting on the clock.
        var refused = history.AppendLedgerAsync([Movement("d-1", 1, poisoned: true)]);
        Assert.False(await refused.WaitAsync(Eventually.Within));
    }

    [Fact]
    public async Task A_poisoned_movement_list_fails_its_own_ledger_write_only()
    {
        var db = await DatabaseAsync("iso_ledger");
        await using var history = History(db);
        // 200 writes of 5 movements each, one distributor per write; every tenth write has one bad movement among good ones.
        var writes = Enumerable.Range(0, 200).Select(i => (Distributor: $"d-{i}", Poisoned: i % 10 == 3,
            Movements: (IReadOnlyList<LedgerMovement>)[.. Enumerable.Range(1, 5).Select(seq => Movement($"d-{i}", seq, poisoned: i % 10 == 3 && seq == 4))])).ToList();

        var written = await Task.WhenAll(writes.Select(w => history.AppendLedgerAsync(w.Movements)));

        Assert.All(writes.Zip(written), x => Assert.Equal(!x.First.Poisoned, x.Second));
        foreach (var w in writes)
        {
            var ledger = await history.LedgerAsync(w.Distributor, page: 1, pageSize: 50);
            Assert.Equal(w.Poisoned ? 0 : 5, ledger.Total); // a write is all or nothing: its good movements wait with the bad one
        }
    }

    [Fact]
    public async Task Grain_state_writes_and_reads_the_database_refuses_fail_alone_while_their_batches_commit()
    {
        var db = await DatabaseAsync("iso_state");
        await using var storage = Storage(db);
        // Grain keys are text: a NUL in one is refused by PostgreSQL (the state itself is bytea and cannot be refused).
        var grains = Enumerable.Range(0, 400).Select(i => (Id: GrainId.Create("order", i % 8 == 0 ? $"o-{i}\0bad" : $"o-{i}"), Poisoned: i % 8 == 0)).ToList();
        var states = grains.Select((_, i) => new GrainState<OrderState> { State = new OrderState { Revision = i } }).ToList();

        var wrote = await Task.WhenAll(grains.Select((g, i) => Outcome(storage.WriteStateAsync("order", g.Id, states[i]))));
        Assert.All(grains.Zip(wrote), x => Assert.Equal(x.First.Poisoned ? "22021" : "ok", x.Second));

        // Read back through a second storage, as another silo would: again the bad keys fail alone.
        await using var other = Storage(db);
        var read = grains.Select(_ => new GrainState<OrderState>()).ToList();
        var reads = await Task.WhenAll(grains.Select((g, i) => Outcome(other.ReadStateAsync("order", g.Id, read[i]))));
        Assert.All(grains.Zip(reads), x => Assert.Equal(x.First.Poisoned ? "22021" : "ok", x.Second));
        Assert.All(Enumerable.Range(0, grains.Count).Where(i => !grains[i].Poisoned), i =>
            Assert.Equal((true, "1", i), (read[i].RecordExists, read[i].ETag, read[i].State!.Revision)));
    }

    [Fact]
    public async Task A_database_outage_fails_each_batch_once_and_is_not_split_into_a_retry_storm()
    {
        // Where the database should be, every connection is accepted and closed at once: each attempt is counted.
        using var dead = new DeadDatabase();
        var connection = $"Host=127.0.0.1;Port={dead.Port};Username=routing;Password=x;Database=routing;Pooling=false;Timeout=5";

        await using var storage = Storage(connection);
        var writes = Enumerable.Range(0, 200).Select(i => Outcome(storage.WriteStateAsync("order", GrainId.Create("order", $"o-{i}"),
            new GrainState<OrderState> { State = new OrderState { Revision = i } }))).ToList();
        Assert.All(await Task.WhenAll(writes), outcome => Assert.Equal("failed", outcome));
        var storageAttempts = dead.Attempts;
        // One attempt per batch; splitting 200 writes to find a "bad row" would take hundreds.
        Assert.InRange(storageAttempts, 1, 40);

        await using var history = History(connection);
        var appends = Enumerable.Range(0, 200).Select(i => history.AppendLedgerAsync([Movement($"d-{i}", 1, poisoned: false)])).ToList();
        Assert.All(await Task.WhenAll(appends), Assert.False);
        // The history retries a batch 3 times (1.3 s); meanwhile the rest queue up as one or two more batches.
        Assert.InRange(dead.Attempts - storageAttempts, 4, 16);
    }

    private async Task<string> DatabaseAsync(string name)
    {
        var db = await postgres.CreateDatabaseAsync(name);
        await new SchemaMigrator(db, NullLogger.Instance).MigrateAsync();
        return db;
    }

    private static PostgresOrderJournal Journal(string db) =>
        new(NpgsqlDataSource.Create(db), NullLogger<PostgresOrderJournal>.Instance);

    /// <summary>A new order's journal record, its state serialized as the order grains' storage does.</summary>
    private static OrderRecord Record(OrderView order) =>
        new(order, 1, GrainStorageTests.Serializer.Serialize(new OrderState { Order = order, Revision = 1 }).ToArray());

    private static PostgresRoutingHistory History(string db, TimeProvider? clock = null) =>
        new(NpgsqlDataSource.Create(db), NullLogger<PostgresRoutingHistory>.Instance, clock);

    private static PostgresGrainStorage Storage(string db) =>
        new(NpgsqlDataSource.Create(db), "isolation-tests", GrainStorageTests.Serializer, NullLogger<PostgresGrainStorage>.Instance);

    /// <summary>"ok", the SQLSTATE PostgreSQL refused it with, or "failed" (no answer from PostgreSQL).</summary>
    private static async Task<string> Outcome(Task operation)
    {
        try { await operation; return "ok"; }
        catch (PostgresException e) { return e.SqlState; }
        catch (NpgsqlException) { return "failed"; }
    }

    private static (OrderView View, bool Poisoned) Order(int i, bool poisoned)
    {
        var now = DateTimeOffset.UtcNow;
        var group = poisoned && i % 2 == 0 ? "g-\0" : "g-ok";
        var reason = poisoned && i % 2 == 1 ? "sold out\0" : null;
        return (new OrderView($"o-{i}", $"c-{i % 50}", "gb-iso", OrderStatus.Allocated, [new OrderLine("UREA-50", 2, group)],
            [new Allocation("d-01", "UREA-50", 2)], 98.5m, reason, [], [], null, now, now), poisoned);
    }

    private static LedgerMovement Movement(string distributor, long seq, bool poisoned) =>
        new(distributor, seq, MovementKind.Reserve, "UREA-50", 1, 100, 100, (int)seq - 1, (int)seq, $"o-{seq}",
            poisoned ? "order\0reserved" : "order reserved", DateTimeOffset.UtcNow);

    /// <summary>A database that is down: a loopback port that accepts each connection and closes it at once.</summary>
    private sealed class DeadDatabase : IDisposable
    {
        private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
        private int _attempts;

        public DeadDatabase()
        {
            _listener.Start();
            _ = AcceptAsync();
        }

        public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;
        public int Attempts => Volatile.Read(ref _attempts);

        private async Task AcceptAsync()
        {
            try
            {
                while (true)
                {
                    using var client = await _listener.AcceptTcpClientAsync();
                    Interlocked.Increment(ref _attempts);
                }
            }
            catch (ObjectDisposedException) { }
            catch (SocketException) { }
        }

        public void Dispose() => _listener.Stop();
    }
}
