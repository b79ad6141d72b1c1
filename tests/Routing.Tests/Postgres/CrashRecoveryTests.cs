using System.Collections.Concurrent;
using Routing.Contracts.Campaigns;
using Routing.Contracts.Distributors;
using Routing.Contracts.Orders;
using Routing.Domain;

namespace Routing.Tests.Postgres;

/// <summary>A 3-silo cluster on PostgreSQL under concurrent order load loses a silo hard; then every invariant is
/// checked against the database and the grains.</summary>
[Collection(PostgresCollection.Name)]
public sealed class CrashRecoveryTests(PostgresFixture postgres)
{
    private const int Requests = 360;
    private const int Concurrency = 12;

    private enum Fate { Acknowledged, Rejected, Ambiguous }

    private sealed record Attempt(string CustomerId, string Key, int Quantity)
    {
        public string OrderId => OrderIds.For(CustomerId, Key);
    }

    [Fact]
    public async Task A_silo_killed_mid_load_loses_no_acknowledged_order_and_oversells_nothing()
    {
        var db = await postgres.CreateDatabaseAsync("crash");
        await using var cluster = await PostgresCluster.StartAsync(db, "crash", silos: 3);
        var world = new PgWorld(cluster, db);
        await world.SetUpAsync(distributors: 4, onHandEach: 150, customers: 120);
        const int cap = 480;
        var campaign = await world.CampaignAsync(cap: cap, perCustomerLimit: 12, minUnits: 1, endsAt: DateTimeOffset.UtcNow.AddHours(1));
        await world.UntilEverySiloRoutesWithCurrentStockAsync();

        var attempts = Enumerable.Range(0, Requests)
            .Select(i => new Attempt(world.Customers[i % world.Customers.Count], $"k-{i}", 1 + i % 3)).ToList();
        var fates = new ConcurrentDictionary<Attempt, (Fate Fate, OrderView? Answer)>();
        var done = 0;
        var killAt = Requests / 3;
        var killed = new TaskCompletionSource();

        using var gate = new SemaphoreSlim(Concurrency);
        var load = attempts.Select(async attempt =>
        {
            await gate.WaitAsync();
            try
            {
                fates[attempt] = await TryPlaceAsync(world, campaign, attempt);
            }
            finally
            {
                gate.Release();
                if (Interlocked.Increment(ref done) == killAt) killed.TrySetResult();
            }
        }).ToList();

        await killed.Task;
        await cluster.Cluster.KillSiloAsync(cluster.Cluster.Silos[^1]);
        await Task.WhenAll(load);

        // Ambiguous requests are retried with the same idempotency key until they get an answer.
        await Eventually.UntilAsync(async () =>
        {
            foreach (var attempt in fates.Where(f => f.Value.Fate == Fate.Ambiguous).Select(f => f.Key).ToList())
                fates[attempt] = await TryPlaceAsync(world, campaign, attempt);
            return fates.Where(f => f.Value.Fate == Fate.Ambiguous).Select(f => f.Key.OrderId).ToList();
        }, ambiguous => ambiguous.Count == 0, "every ambiguous request to get an answer when retried");
        var acknowledged = fates.Where(f => f.Value.Fate == Fate.Acknowledged).ToDictionary(f => f.Key.OrderId, f => f.Value.Answer!);
        Assert.True(acknowledged.Count > Requests / 4, $"only {acknowledged.Count} of {Requests} orders were acknowledged");

        // Orphaned reservations (a placement that reserved and then died with its silo) expire; the ledger outbox
        // drains; then the grains, the ledger and the order history agree.
        await Eventually.UntilAsync(async () => await ConsistencyAsync(world), problems => problems.Count == 0,
            "grains, ledger and order history to agree", within: TimeSpan.FromSeconds(60));

        // Every acknowledged order is present exactly once (the primary key), unchanged, in the grain and in the history.
        var rows = await world.OrderRowsAsync();
        foreach (var (orderId, answer) in acknowledged)
        {
            Assert.True(rows.TryGetValue(orderId, out var row), $"acknowledged order {orderId} is missing from the history");
            Assert.Equal(answer.Status, row.Status);
            Assert.Equal(answer.Allocations, row.Allocations);
            var grain = await world.Grains.GetGrain<IOrderGrain>(orderId).GetAsync();
            Assert.NotNull(grain);
            Assert.Equal(answer.Status, grain.Status);
            Assert.Equal(answer.Allocations, grain.Allocations);
        }
        // Rejected requests left nothing behind: no allocated order and no reservation.
        var rejected = fates.Where(f => f.Value.Fate == Fate.Rejected).Select(f => f.Key.OrderId).ToHashSet();
        Assert.DoesNotContain(rows.Values, r => rejected.Contains(r.OrderId) && r.Status == OrderStatus.Allocated);
        foreach (var d in world.Distributors)
            Assert.DoesNotContain(await world.Grains.GetGrain<IDistributorGrain>(d).GetReservationsAsync(), r => rejected.Contains(r.OrderId));

        // The campaign never sold past its cap: by the orders, and by its own count once the silos have reported.
        var sold = rows.Values.Where(r => r.CampaignId == campaign && r.Status == OrderStatus.Allocated).Sum(r => r.Lines.Sum(l => l.Quantity));
        Assert.True(sold <= cap, $"{sold} units sold against a cap of {cap}");
        var view = await world.Grains.GetGrain<ICampaignGrain>(campaign).GetAsync();
        Assert.True(view!.Sold <= cap, $"the campaign counts {view.Sold} sold against a cap of {cap}");
    }

    private static async Task<(Fate, OrderView?)> TryPlaceAsync(PgWorld world, string campaign, Attempt attempt)
    {
        try
        {
            var result = await world.OrderAsync(campaign, attempt.CustomerId, attempt.Quantity, attempt.Key);
            return result.Outcome is PlaceOutcome.Created or PlaceOutcome.Replayed && result.Order!.Status == OrderStatus.Allocated
                ? (Fate.Acknowledged, result.Order)
                : (Fate.Rejected, result.Order);
        }
        catch (Exception)
        {
            // The silo died under it, or storage refused a stale write: the answer is unknown.
            return (Fate.Ambiguous, null);
        }
    }

    /// <summary>What still disagrees, as readable lines (empty when consistent).</summary>
    internal static async Task<List<string>> ConsistencyAsync(PgWorld world)
    {
        var problems = new List<string>();
        var inventory = await world.InventoryAsync();
        var ledger = await world.LedgerAsync();
        var rows = await world.OrderRowsAsync();
        foreach (var d in world.Distributors)
        {
            var item = inventory[d];
            if (item.Reserved > item.OnHand) problems.Add($"{d}: oversold, {item.Reserved} reserved of {item.OnHand}");
            if (!ledger.TryGetValue(d, out var l)) { problems.Add($"{d}: no ledger"); continue; }
            if (!l.NeverOversold) problems.Add($"{d}: the ledger shows an oversell");
            if (l.Rows != l.LastSeq) problems.Add($"{d}: ledger has {l.Rows} rows up to seq {l.LastSeq} (a gap)");
            if (l.ChainBreaks > 0) problems.Add($"{d}: {l.ChainBreaks} ledger rows do not start where the previous ended");
            if (l.OnHand != item.OnHand || l.LastOnHand != item.OnHand) problems.Add($"{d}: on hand {item.OnHand}, ledger sums {l.OnHand}, last row {l.LastOnHand}");
            if (l.Reserved != item.Reserved || l.LastReserved != item.Reserved) problems.Add($"{d}: reserved {item.Reserved}, ledger sums {l.Reserved}, last row {l.LastReserved}");
            var open = rows.Values.Where(o => o.Status is OrderStatus.Allocated or OrderStatus.Confirmed)
                .SelectMany(o => o.Allocations).Where(a => a.DistributorId == d).Sum(a => a.Quantity);
            if (open != item.Reserved) problems.Add($"{d}: reserved {item.Reserved}, open allocations {open}");
        }
        return problems;
    }
}
