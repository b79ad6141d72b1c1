using System.Collections.Concurrent;
using StackExchange.Redis;

namespace Routing.Bench.Baselines;

/// <summary>The order service people build for 秒杀 instead: state in Redis, every order one atomic Lua script (one
/// EVALSHA) that answers a known idempotency key with its stored result, checks the customer's limit, the campaign's cap
/// and stock, takes the units from the customer's home distributor when it has them (else from the best-stocked one, the
/// naive baseline's rule), records the order and answers. Durable at the acknowledgement only when the server runs with
/// <c>appendfsync always</c> (Redis fsyncs its append-only file before it sends the replies of that event-loop turn);
/// with <c>everysec</c> a crash can lose up to a second of acknowledged orders.</summary>
public sealed class RedisStore(string configuration)
{
    // KEYS: 1 the order, 2 the campaign (hash: sku cap sold limit), 3 what each customer bought of it (hash),
    //       4 each customer's home distributor (hash), 5 the SKU's available units by distributor (sorted set: best-stocked
    //       first in O(log n)), 6 the SKU's reserved units by distributor (hash, for the audit).
    // ARGV: 1 customer id, 2 quantity.
    // Returns {1, "distributor|quantity"} or {0, http status, problem code}. Nothing is written unless every check passes.
    private const string PlaceScript = """
        local done = redis.call('GET', KEYS[1])
        if done then return {1, done} end
        local c = redis.call('HMGET', KEYS[2], 'cap', 'sold', 'limit')
        if not c[1] then return {0, 404, 'notFound'} end
        local home = redis.call('HGET', KEYS[4], ARGV[1])
        if not home then return {0, 404, 'notFound'} end
        local q = tonumber(ARGV[2])
        if tonumber(redis.call('HGET', KEYS[3], ARGV[1]) or '0') + q > tonumber(c[3]) then return {0, 422, 'limitExceeded'} end
        local d = nil
        local atHome = redis.call('ZSCORE', KEYS[5], home)
        if atHome and tonumber(atHome) >= q then
          d = home
        else
          local best = redis.call('ZRANGE', KEYS[5], 0, 0, 'REV', 'WITHSCORES')
          if best[1] and tonumber(best[2]) >= q then d = best[1] end
        end
        if not d then return {0, 409, 'outOfStock'} end
        if tonumber(c[2]) + q > tonumber(c[1]) then return {0, 409, 'soldOut'} end
        redis.call('ZINCRBY', KEYS[5], -q, d)
        redis.call('HINCRBY', KEYS[6], d, q)
        redis.call('HINCRBY', KEYS[2], 'sold', q)
        redis.call('HINCRBY', KEYS[3], ARGV[1], q)
        local result = d .. '|' .. q
        redis.call('SET', KEYS[1], result)
        return {1, result}
        """;

    private const string Homes = "homes";
    private const string CampaignSet = "campaigns";
    private const string SkuSet = "skus";

    private readonly ConnectionMultiplexer _redis = ConnectionMultiplexer.Connect(configuration);
    private readonly ConcurrentDictionary<string, string> _skuOfCampaign = new();
    private byte[]? _placeSha;

    private IDatabase Db => _redis.GetDatabase();

    private static RedisKey Campaign(string id) => "campaign:" + id;
    private static RedisKey Bought(string campaignId) => "bought:" + campaignId;
    private static RedisKey Available(string sku) => "available:" + sku;
    private static RedisKey Reserved(string sku) => "reserved:" + sku;
    private static RedisKey OnHand(string sku) => "onhand:" + sku;

    /// <summary>Loads a scenario into an empty database (the naive baseline drops its tables the same way).</summary>
    public async Task SetupAsync(NaiveSetup setup)
    {
        var server = _redis.GetServers().Single();
        await server.FlushDatabaseAsync();
        _skuOfCampaign.Clear();
        _placeSha = await server.ScriptLoadAsync(PlaceScript);
        var db = Db;
        var writes = new List<Task>();
        foreach (var c in setup.Campaigns)
        {
            writes.Add(db.HashSetAsync(Campaign(c.Id), [new("sku", c.Sku), new("cap", c.Cap), new("sold", 0), new("limit", c.PerCustomerLimit)]));
            writes.Add(db.SetAddAsync(CampaignSet, c.Id));
        }
        foreach (var bySku in setup.Stock.GroupBy(s => s.Sku))
        {
            writes.Add(db.SortedSetAddAsync(Available(bySku.Key), [.. bySku.Select(s => new SortedSetEntry(s.DistributorId, s.OnHand))]));
            writes.Add(db.HashSetAsync(OnHand(bySku.Key), [.. bySku.Select(s => new HashEntry(s.DistributorId, s.OnHand))]));
            writes.Add(db.HashSetAsync(Reserved(bySku.Key), [.. bySku.Select(s => new HashEntry(s.DistributorId, 0))]));
            writes.Add(db.SetAddAsync(SkuSet, bySku.Key));
        }
        foreach (var chunk in setup.Customers.Chunk(1000))
            writes.Add(db.HashSetAsync(Homes, [.. chunk.Select(c => new HashEntry(c.Id, c.HomeDistributorId ?? ""))]));
        await Task.WhenAll(writes);
    }

    public async Task<NaiveResult> PlaceAsync(string campaignId, string customerId, string key, int quantity)
    {
        var db = Db;
        // A campaign's SKU never changes: looked up once, then known (unknown campaigns are not remembered).
        if (!_skuOfCampaign.TryGetValue(campaignId, out var sku))
        {
            if ((string?)await db.HashGetAsync(Campaign(campaignId), "sku") is not { } found) return new(null, 404, "notFound");
            sku = _skuOfCampaign.GetOrAdd(campaignId, found);
        }
        var orderId = "o-" + customerId + "-" + key;
        var sha = _placeSha ??= await _redis.GetServers().Single().ScriptLoadAsync(PlaceScript);
        var result = (RedisResult[])(await db.ScriptEvaluateAsync(sha,
            ["order:" + orderId, Campaign(campaignId), Bought(campaignId), Homes, Available(sku), Reserved(sku)],
            [customerId, quantity]))!;
        if ((int)result[0] == 0) return new(null, (int)result[1], (string)result[2]!);
        var parts = ((string)result[1]!).Split('|');
        return new(new OrderResponse(orderId, "Allocated", [new AllocationDto(parts[0], sku, int.Parse(parts[1], System.Globalization.CultureInfo.InvariantCulture))]), 201, null);
    }

    /// <summary>Stock, campaign totals and what customers bought, read back for the oversell and lost-order audit.</summary>
    public async Task<NaiveAudit> AuditAsync()
    {
        var db = Db;
        var stock = new List<NaiveStockLevel>();
        foreach (var sku in (await db.SetMembersAsync(SkuSet)).Select(s => (string)s!).Order(StringComparer.Ordinal))
        {
            var reserved = (await db.HashGetAllAsync(Reserved(sku))).ToDictionary(e => (string)e.Name!, e => (int)e.Value);
            foreach (var e in (await db.HashGetAllAsync(OnHand(sku))).OrderBy(e => (string)e.Name!, StringComparer.Ordinal))
                stock.Add(new((string)e.Name!, sku, (int)e.Value, reserved.GetValueOrDefault((string)e.Name!)));
        }
        var campaigns = new List<NaiveCampaignTotal>();
        long ordered = 0;
        foreach (var id in (await db.SetMembersAsync(CampaignSet)).Select(s => (string)s!).Order(StringComparer.Ordinal))
        {
            var c = await db.HashGetAsync(Campaign(id), ["cap", "sold"]);
            campaigns.Add(new(id, (int)c[0], (int)c[1]));
            ordered += (await db.HashValuesAsync(Bought(id))).Sum(v => (long)v);
        }
        return new NaiveAudit(stock, campaigns, ordered);
    }
}
