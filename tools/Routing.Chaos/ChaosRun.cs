using System.Diagnostics;
using Routing.LocalPostgres;

namespace Routing.Chaos;

/// <summary>The figures of one run. The four that must be zero once crashes are accounted for: <see cref="Oversold"/>,
/// <see cref="LostAcknowledged"/>, <see cref="Phantom"/>, <see cref="Stranded"/>; and <see cref="Sold"/> must equal
/// <see cref="AcknowledgedUnits"/>.</summary>
public sealed record RunResult(int Run, int Seed)
{
    public string? Error { get; init; }
    public int Victim { get; init; }
    public double KillShare { get; init; }
    public long KilledAtUnits { get; init; }
    public long Requests { get; init; }
    public long Ambiguous { get; init; }
    public long Unresolved { get; init; }
    public int Cap { get; init; }
    public long AcknowledgedUnits { get; init; }
    public long AcknowledgedAfterRecovery { get; init; }
    public int Sold { get; init; }
    /// <summary>Units reserved beyond on hand at any distributor, sold beyond the cap, or acknowledged beyond it.</summary>
    public long Oversold { get; init; }
    /// <summary>Acknowledged units whose order is missing, no longer allocated, or not holding its reservations.</summary>
    public long LostAcknowledged { get; init; }
    /// <summary>Reserved units not backed by an acknowledged order, after recovery.</summary>
    public long Phantom { get; init; }
    /// <summary>Of <see cref="Phantom"/>: units held by an existing allocated order that no client was told of.</summary>
    public long PhantomAllocated { get; init; }
    /// <summary>Cap − acknowledged units, once fresh clients after recovery could sell no more.</summary>
    public long Stranded { get; init; }
    public TimeSpan Duration { get; init; }
    /// <summary>Each lost acknowledgement as found: what the client was told, and the order and reservations now.</summary>
    public IReadOnlyList<string> LostDetails { get; init; } = [];

    public bool Measured => Error is null;
    public long SoldGap => Sold - AcknowledgedUnits;
    public bool Exact => Measured && Oversold == 0 && LostAcknowledged == 0 && Phantom == 0 && Stranded == 0 && SoldGap == 0;
}

/// <summary>One seeded kill-a-silo sale: deploy, set up as ops, sell with retrying clients, kill -9 a silo mid-sale,
/// let the cluster recover, sell the rest with fresh clients, audit through the REST API, tear down.</summary>
public static class ChaosRun
{
    private const string Sku = "CHAOS-UREA";
    private const string Campaign = "gb-chaos";
    private static readonly string[] Regions = ["4201"];

    public static async Task<RunResult> RunAsync(ChaosOptions options, LocalPostgresServer postgres, int run, TextWriter log, CancellationToken cancel)
    {
        var seed = options.Seed + run - 1;
        var result = new RunResult(run, seed) { Cap = options.Cap };
        var clock = Stopwatch.StartNew();
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancel);
        limit.CancelAfter(options.RunTimeout);
        var ct = limit.Token;
        ChaosCluster? cluster = null;
        try
        {
            var random = new Random(seed);
            var victim = random.Next(options.Silos);
            var killShare = options.KillFrom + random.NextDouble() * (options.KillTo - options.KillFrom);
            var killAt = (long)Math.Ceiling(options.Cap * killShare);
            result = result with { Victim = victim + 1, KillShare = killShare };

            cluster = await ChaosCluster.StartAsync(options, postgres, run, log, ct);
            using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 1_000, PooledConnectionLifetime = TimeSpan.FromMinutes(5) })
            {
                BaseAddress = cluster.ApiUrl,
                Timeout = Timeout.InfiniteTimeSpan, // each attempt has its own (ChaosOptions.RequestTimeout)
            };
            var api = new ChaosApi(http, options.SigningKey);
            var (buyers, fresh, distributors) = await SetUpAsync(api, options, random, ct);

            // The sale, and the kill once killShare of the cap is acknowledged.
            var book = new AckBook();
            var sale = new ChaosSale(api, options, Campaign, book);
            var killed = false;
            var over = false;
            var selling = sale.RunAsync("a", buyers, options.Clients, random.Next(), () => over, ct);
            while (!selling.IsCompleted)
            {
                await Task.WhenAny(selling, Task.Delay(200, ct));
                if (!killed && (book.Units >= killAt || book.SinceLastAck > options.Quiet * 3))
                {
                    var units = book.Units;
                    result = result with { KilledAtUnits = units };
                    await cluster.KillSiloAsync(victim);
                    log.WriteLine($"  [{clock.Elapsed.TotalSeconds:0} s] killed silo {victim + 1} (kill -9) at {units} acknowledged units ({100.0 * units / options.Cap:0}% of the cap)");
                    book.ResetQuiet();
                    killed = true;
                }
                if (killed && !over && (book.Units >= options.Cap || book.SinceLastAck > options.Quiet)) over = true;
            }
            await selling;
            var soldBeforeRecovery = book.Units;
            log.WriteLine($"  [{clock.Elapsed.TotalSeconds:0} s] sale over: {book.Units} units acknowledged in {book.Acknowledged.Count} orders; {book.Ambiguous} ambiguous answers retried; {book.TakeRefusals()}");

            // Recovery: the cluster votes the dead silo out, then orphaned reservations pass UnverifiedAfter and a check.
            await cluster.UntilDeclaredDeadAsync(TimeSpan.FromSeconds(90), ct);
            log.WriteLine($"  [{clock.Elapsed.TotalSeconds:0} s] the cluster declared the silo dead");
            // (At most 30 s: with --unverified-after longer than a run, what is left is what the expiry would have recovered.)
            var recovery = options.UnverifiedAfter + 3 * options.CheckEvery + TimeSpan.FromSeconds(2);
            await Task.Delay(recovery < TimeSpan.FromSeconds(30) ? recovery : TimeSpan.FromSeconds(30), ct);

            // Fresh clients try to sell what is left; what they cannot sell is stranded.
            over = false;
            book.ResetQuiet();
            var rest = sale.RunAsync("b", fresh, options.Clients, random.Next(), () => over, ct);
            while (!rest.IsCompleted)
            {
                await Task.WhenAny(rest, Task.Delay(200, ct));
                if (!over && (book.Units >= options.Cap || book.SinceLastAck > options.Quiet)) over = true;
            }
            await rest;
            log.WriteLine($"  [{clock.Elapsed.TotalSeconds:0} s] after recovery: {book.Units - soldBeforeRecovery} more units acknowledged; {book.TakeRefusals()}");
            await Task.Delay(TimeSpan.FromSeconds(2), ct); // quota holders report sales every 200 ms

            result = await AuditAsync(api, distributors, book, ct) with
            {
                Run = run,
                Seed = seed,
                Victim = victim + 1,
                KillShare = killShare,
                KilledAtUnits = result.KilledAtUnits,
                AcknowledgedAfterRecovery = book.Units - soldBeforeRecovery,
            };
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancel.IsCancellationRequested)
        {
            var why = e is OperationCanceledException ? $"over its time limit of {options.RunTimeout.TotalSeconds:0} s" : $"{e.GetType().Name}: {e.Message}";
            result = result with { Error = why };
        }
        finally
        {
            if (cluster is not null) await cluster.DisposeAsync();
        }
        return result with { Duration = clock.Elapsed };
    }

    /// <summary>A product, distributors holding twice the cap between them, buyers enough to reach the cap under the
    /// per-customer limit, fresh customers for after the crash, and one open campaign.</summary>
    private static async Task<(List<string> Buyers, List<string> Fresh, List<string> Distributors)> SetUpAsync(
        ChaosApi api, ChaosOptions options, Random random, CancellationToken ct)
    {
        double Jitter() => (random.NextDouble() - 0.5) * 0.2;
        await api.SendAsOpsAsync(HttpMethod.Post, "/api/products", new { sku = Sku, name = "Urea 50 kg", unit = "bag" }, ct);
        var distributors = Enumerable.Range(1, options.Distributors).Select(i => $"d-{i}").ToList();
        var stockEach = (int)Math.Ceiling(2.0 * options.Cap / options.Distributors);
        foreach (var (d, i) in distributors.Select((d, i) => (d, i)))
        {
            await api.SendAsOpsAsync(HttpMethod.Post, "/api/distributors", new
            {
                id = d, name = d, regions = Regions, location = new { lat = 30.59 + Jitter(), lon = 114.30 + Jitter() },
                priority = 1 + i % 3, dailyCapacity = 100_000_000,
            }, ct);
            await api.SendAsOpsAsync(HttpMethod.Put, $"/api/distributors/{d}/inventory/{Sku}", new { onHand = stockEach, threshold = 10 }, ct);
        }
        var perLimit = (options.Cap + options.PerCustomerLimit - 1) / options.PerCustomerLimit;
        var buyers = Enumerable.Range(1, Math.Max(4 * options.Clients, 2 * perLimit)).Select(i => $"c-{i:0000}").ToList();
        var fresh = Enumerable.Range(1, perLimit + options.Clients).Select(i => $"f-{i:0000}").ToList();
        var homes = buyers.Concat(fresh).Select(c => (c, home: distributors[random.Next(distributors.Count)])).ToList();
        await Parallel.ForEachAsync(homes, new ParallelOptions { MaxDegreeOfParallelism = 16, CancellationToken = ct }, async (x, token) =>
            await api.SendAsOpsAsync(HttpMethod.Post, "/api/customers", new
            {
                id = x.c, name = x.c, region = "420106", location = new { lat = 30.55, lon = 114.27 }, homeDistributorId = x.home,
            }, token));
        var now = DateTimeOffset.UtcNow;
        await api.SendAsOpsAsync(HttpMethod.Post, "/api/campaigns", new
        {
            id = Campaign, sku = Sku, price = 100.0, startsAt = now.AddMinutes(-5), endsAt = now.AddDays(1), cap = options.Cap,
            perCustomerLimit = options.PerCustomerLimit, minUnits = 0,
        }, ct);
        // Distributor snapshots reach the silos' routing caches within ~200 ms; the campaign opens on creation.
        await Task.Delay(TimeSpan.FromSeconds(1.5), ct);
        return (buyers, fresh, distributors);
    }

    private static async Task<RunResult> AuditAsync(ChaosApi api, List<string> distributors, AckBook book, CancellationToken ct)
    {
        var (sold, cap) = await api.CampaignAsync(Campaign, ct);
        var stock = new List<DistributorState>();
        foreach (var d in distributors) stock.Add(await api.DistributorAsync(d, Sku, ct));
        var acknowledged = book.Acknowledged.Values.ToList();
        var ackedUnits = acknowledged.Sum(o => (long)o.Units);

        var oversold = stock.Sum(s => (long)Math.Max(0, s.Reserved - s.OnHand)) + Math.Max(0, sold - cap) + Math.Max(0, ackedUnits - cap);

        // Lost: an acknowledged order not found, not allocated any more, or without its reservations.
        var now = new System.Collections.Concurrent.ConcurrentDictionary<string, PlacedOrder?>();
        await Parallel.ForEachAsync(acknowledged, new ParallelOptions { MaxDegreeOfParallelism = 16, CancellationToken = ct },
            async (o, token) => now[o.OrderId] = await api.OrderAsync(o.OrderId, token));
        long lost = 0;
        var lostDetails = new List<string>();
        foreach (var o in acknowledged)
        {
            var held = now[o.OrderId] is { Status: "Allocated" } current ? current.Allocations.Sum(a => a.Quantity) : 0;
            var reserved = stock.Sum(s => s.Reservations.GetValueOrDefault(o.OrderId));
            var missing = Math.Max(0, o.Units - Math.Min(held, reserved));
            if (missing == 0) continue;
            lost += missing;
            static string Shares(IEnumerable<(string DistributorId, int Quantity)> a) => string.Join(" + ", a.Select(x => $"{x.DistributorId}:{x.Quantity}"));
            lostDetails.Add($"{o.OrderId}: acknowledged {o.Units} ({Shares(o.Allocations)}); now {now[o.OrderId]?.Status ?? "missing"} " +
                            $"({Shares(now[o.OrderId]?.Allocations ?? [])}); reserved {Shares(stock.Where(s => s.Reservations.ContainsKey(o.OrderId)).Select(s => (s.Id, s.Reservations[o.OrderId])))}");
        }

        // Phantom: reserved units that no acknowledged order accounts for (beyond what acknowledged orders hold).
        long phantom = 0, phantomAllocated = 0;
        var unacknowledged = new Dictionary<string, long>();
        foreach (var s in stock)
        {
            var backed = s.Reservations.Where(r => book.Acknowledged.ContainsKey(r.Key)).Sum(r => (long)r.Value);
            phantom += Math.Max(0, s.Reserved - backed);
            foreach (var r in s.Reservations.Where(r => !book.Acknowledged.ContainsKey(r.Key)))
                unacknowledged[r.Key] = unacknowledged.GetValueOrDefault(r.Key) + r.Value;
        }
        foreach (var (orderId, units) in unacknowledged)
            if (await api.OrderAsync(orderId, ct) is { Status: "Allocated" }) phantomAllocated += units;

        return new RunResult(0, 0)
        {
            Requests = book.Requests, Ambiguous = book.Ambiguous, Unresolved = book.UnresolvedCount, Cap = cap,
            AcknowledgedUnits = ackedUnits, Sold = sold, Oversold = oversold, LostAcknowledged = lost, Phantom = phantom,
            PhantomAllocated = phantomAllocated, Stranded = Math.Max(0, cap - ackedUnits), LostDetails = lostDetails,
        };
    }
}
