using System.Collections.Concurrent;
using System.Diagnostics;

namespace Routing.Chaos;

/// <summary>What the clients were told, kept as they were told it: every acknowledged order (201 Allocated) by id,
/// and how many answers were ambiguous or never became definite.</summary>
public sealed class AckBook
{
    private long _units, _requests, _ambiguous, _unresolved, _lastAck = Stopwatch.GetTimestamp();

    public ConcurrentDictionary<string, PlacedOrder> Acknowledged { get; } = new();

    /// <summary>Orders whose client gave up retrying (no definite answer within the bound): (customer, key).</summary>
    public ConcurrentBag<(string CustomerId, string Key)> Unresolved { get; } = [];

    /// <summary>Definite refusals by status and code (409 soldOut, 422 limitExceeded, 201 Rejected…).</summary>
    public ConcurrentDictionary<string, int> Refusals { get; } = new();

    public long Units => Interlocked.Read(ref _units);
    public long Requests => Interlocked.Read(ref _requests);
    public long Ambiguous => Interlocked.Read(ref _ambiguous);
    public long UnresolvedCount => Interlocked.Read(ref _unresolved);
    public TimeSpan SinceLastAck => Stopwatch.GetElapsedTime(Interlocked.Read(ref _lastAck));

    public void Request() => Interlocked.Increment(ref _requests);
    public void AmbiguousAnswer() => Interlocked.Increment(ref _ambiguous);
    public void Refused(string kind) => Refusals.AddOrUpdate(kind, 1, (_, n) => n + 1);

    /// <summary>The refusals since the last call, as "refused: 409 soldOut ×12, …", and starts counting afresh.</summary>
    public string TakeRefusals()
    {
        var taken = Refusals.Keys.Select(k => (Kind: k, Count: Refusals.TryRemove(k, out var n) ? n : 0)).Where(r => r.Count > 0)
            .OrderByDescending(r => r.Count).Select(r => $"{r.Kind} ×{r.Count}").ToList();
        return taken.Count == 0 ? "no refusals" : "refused: " + string.Join(", ", taken);
    }
    public void ResetQuiet() => Interlocked.Exchange(ref _lastAck, Stopwatch.GetTimestamp());

    public void GaveUp(string customerId, string key)
    {
        Interlocked.Increment(ref _unresolved);
        Unresolved.Add((customerId, key));
    }

    public void Acknowledge(PlacedOrder order)
    {
        // A replay of an order already acknowledged (a retry whose first answer was lost, then both arrived) counts once.
        if (!Acknowledged.TryAdd(order.OrderId, order)) return;
        Interlocked.Add(ref _units, order.Units);
        Interlocked.Exchange(ref _lastAck, Stopwatch.GetTimestamp());
    }
}

/// <summary>A sale phase: <c>clients</c> concurrent customers' apps placing campaign orders with fresh keys until told
/// to stop; an ambiguous answer is retried with the same key until it is definite (201 or a 4xx), within a bound.</summary>
public sealed class ChaosSale(ChaosApi api, ChaosOptions options, string campaignId, AckBook book)
{
    public async Task RunAsync(string phase, IReadOnlyList<string> customers, int clients, int seed, Func<bool> over, CancellationToken ct)
    {
        var seeds = new Random(seed);
        var tasks = Enumerable.Range(0, clients).Select(c => ClientAsync($"{phase}{c}", customers, new Random(seeds.Next()), over, ct)).ToList();
        await Task.WhenAll(tasks);
    }

    private async Task ClientAsync(string name, IReadOnlyList<string> customers, Random random, Func<bool> over, CancellationToken ct)
    {
        var atLimit = new HashSet<string>();
        for (var n = 0; !over() && atLimit.Count < customers.Count; n++)
        {
            var customer = customers[random.Next(customers.Count)];
            if (atLimit.Contains(customer)) continue;
            var quantity = random.Next(1, options.MaxQuantity + 1);
            var answer = await PlaceUntilDefiniteAsync(customer, quantity, $"{name}-{n}", ct);
            if (answer is null) continue;
            if (answer.Order is { Status: "Allocated" } order) { book.Acknowledge(order); continue; }
            book.Refused(answer.Order is { } other ? $"201 {other.Status}" : $"{answer.Status} {answer.Code}");
            if (answer.Code == "limitExceeded") atLimit.Add(customer);
            if (answer.Code == "soldOut") await Task.Delay(200, ct); // the other silos' leases may come back within 1 s
        }
    }

    /// <summary>The definite answer for one key, or null when none came within <see cref="ChaosOptions.RetryFor"/>.</summary>
    private async Task<PlaceAnswer?> PlaceUntilDefiniteAsync(string customer, int quantity, string key, CancellationToken ct)
    {
        var started = Stopwatch.StartNew();
        while (true)
        {
            book.Request();
            var answer = await api.PlaceAsync(campaignId, customer, quantity, key, options.RequestTimeout, ct);
            if (!answer.Ambiguous) return answer;
            book.AmbiguousAnswer();
            if (started.Elapsed > options.RetryFor)
            {
                book.GaveUp(customer, key);
                return null;
            }
            await Task.Delay(answer.Status == 429 ? 1_000 : 250, ct);
        }
    }
}
