using System.Text.Json;
using Npgsql;
using Routing.Contracts;
using Routing.Contracts.Campaigns;
using Routing.Contracts.Catalog;
using Routing.Contracts.Customers;
using Routing.Contracts.Distributors;
using Routing.Contracts.Orders;
using Routing.Domain;
using Routing.Silo.Postgres;

namespace Routing.Tests.Postgres;

/// <summary>A small market on PostgreSQL: one SKU, distributors around Wuhan, customers, one group-buy among those
/// distributors; plus readers of what the database holds.</summary>
internal sealed class PgWorld(IGrainFactory grains, string db)
{
    public const string Sku = "UREA-50";
    public const string Region = "420106";

    public IGrainFactory Grains { get; set; } = grains;
    public string Db { get; } = db;
    public List<string> Distributors { get; } = [];
    public List<string> Customers { get; } = [];

    public async Task SetUpAsync(int distributors, int onHandEach, int customers)
    {
        Assert.Equal(UpsertResult.Created, await Grains.GetGrain<IProductCatalogGrain>(0).UpsertAsync(new Product(Sku, "Urea 50 kg", "bag", "fertiliser", [])));
        for (var i = 1; i <= distributors; i++)
        {
            var id = $"d-{i:00}";
            await Grains.GetGrain<IDistributorGrain>(id).UpsertProfileAsync(
                new DistributorProfile(id, $"Agri {i}", ["4201"], new GeoPoint(30.55 + 0.01 * i, 114.30), 1, 1_000_000));
            Assert.Equal(StockUpdateOutcome.Updated, (await Grains.GetGrain<IDistributorGrain>(id).SetStockAsync(Sku, onHandEach, 0)).Outcome);
            Distributors.Add(id);
        }
        var ids = Enumerable.Range(1, customers).Select(i => $"c-{i:0000}").ToList();
        await Task.WhenAll(ids.Select(id => Grains.GetGrain<ICustomerGrain>(id).UpsertAsync(
            new CustomerProfile(id, $"Grower {id}", Region, new GeoPoint(30.55, 114.30), null, "household"))));
        Customers.AddRange(ids);
    }

    public async Task<string> CampaignAsync(string id, int cap, int perCustomerLimit, int minUnits, DateTimeOffset endsAt, int? paymentWindowSeconds = null)
    {
        var definition = new CampaignDefinition(id, $"Group-buy {id}", Sku, 118m, [], DateTimeOffset.UtcNow.AddMinutes(-5), endsAt,
            cap, perCustomerLimit, minUnits, ["42"], [.. Distributors], RoutingPolicy.DefaultId, paymentWindowSeconds);
        Assert.Equal(UpsertResult.Created, await Grains.GetGrain<ICampaignGrain>(id).CreateAsync(definition));
        return id;
    }

    /// <summary>Waits until every silo's order grains see the distributors (snapshots are cached briefly per silo).</summary>
    public async Task UntilRoutableAsync()
    {
        await ProviderRoundTripTests.Eventually(async () => (await Grains.GetGrain<IDistributorDirectoryGrain>(0).GetSnapshotsAsync()).Length,
            n => n >= Distributors.Count, "the directory to list every distributor");
        await Task.Delay(300);
    }

    public Task<PlaceResult> PlaceAsync(string campaignId, string customerId, int quantity, string key) =>
        Grains.GetGrain<ICustomerGrain>(customerId).PlaceAsync(new PlaceOrder(customerId, campaignId, [new OrderLine(Sku, quantity)], key));

    public async Task<Dictionary<string, InventoryItem>> InventoryAsync()
    {
        var result = new Dictionary<string, InventoryItem>();
        foreach (var d in Distributors)
            result[d] = Assert.Single(await Grains.GetGrain<IDistributorGrain>(d).GetInventoryAsync(), i => i.Sku == Sku);
        return result;
    }

    /// <summary>Every order row of the history: id → (status, allocations as stored).</summary>
    public async Task<Dictionary<string, OrderView>> OrderRowsAsync()
    {
        var rows = new Dictionary<string, OrderView>();
        await using var connection = new NpgsqlConnection(Db);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT order_id, body FROM routing_orders", connection);
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
            rows.Add(reader.GetString(0), JsonSerializer.Deserialize<OrderView>(reader.GetString(1), PostgresRoutingHistory.Json)!);
        return rows;
    }

    /// <summary>Per distributor: the ledger's sums and its last row, and whether its sequence has no gaps.</summary>
    public async Task<Dictionary<string, LedgerSums>> LedgerAsync()
    {
        var sums = new Dictionary<string, LedgerSums>();
        await using var connection = new NpgsqlConnection(Db);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("""
            SELECT distributor_id,
                   coalesce(sum(quantity) FILTER (WHERE kind IN ('receive', 'adjust', 'ship')), 0)::int AS on_hand,
                   coalesce(sum(quantity) FILTER (WHERE kind IN ('reserve', 'release', 'ship')), 0)::int AS reserved,
                   count(*) AS rows, max(seq) AS last_seq,
                   (array_agg(on_hand_after ORDER BY seq DESC))[1] AS last_on_hand,
                   (array_agg(reserved_after ORDER BY seq DESC))[1] AS last_reserved,
                   bool_and(on_hand_after >= reserved_after AND reserved_after >= 0) AS never_oversold,
                   count(*) FILTER (WHERE prev_on_hand IS NOT NULL AND (prev_on_hand <> on_hand_before OR prev_reserved <> reserved_before)) AS breaks
              FROM (SELECT *, lag(on_hand_after) OVER w AS prev_on_hand, lag(reserved_after) OVER w AS prev_reserved
                      FROM routing_inventory_ledger WHERE sku = @sku WINDOW w AS (PARTITION BY distributor_id ORDER BY seq)) l
             GROUP BY distributor_id
            """, connection);
        command.Parameters.AddWithValue("sku", Sku);
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
            sums[reader.GetString(0)] = new LedgerSums(reader.GetInt32(1), reader.GetInt32(2), reader.GetInt64(3), reader.GetInt64(4),
                reader.GetInt32(5), reader.GetInt32(6), reader.GetBoolean(7), reader.GetInt64(8));
        return sums;
    }
}

/// <summary>A distributor's ledger for one SKU: on hand = received ± adjusted − shipped; reserved = reserved − released − shipped.</summary>
internal sealed record LedgerSums(int OnHand, int Reserved, long Rows, long LastSeq, int LastOnHand, int LastReserved, bool NeverOversold, long ChainBreaks);
