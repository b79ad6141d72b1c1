using Npgsql;
using NpgsqlTypes;

namespace Routing.Bench.Baselines;

/// <summary>What to load before a run: campaigns, stock rows and customers (with their home distributor).</summary>
public sealed record NaiveSetup(IReadOnlyList<NaiveCampaign> Campaigns, IReadOnlyList<NaiveStock> Stock, IReadOnlyList<NaiveCustomer> Customers);
public sealed record NaiveCampaign(string Id, string Sku, int Cap, int PerCustomerLimit);
public sealed record NaiveStock(string DistributorId, string Sku, int OnHand);
public sealed record NaiveCustomer(string Id, string? HomeDistributorId);

/// <summary>Stock and campaign totals after a run, for the oversell audit.</summary>
public sealed record NaiveAudit(IReadOnlyList<NaiveStockLevel> Stock, IReadOnlyList<NaiveCampaignTotal> Campaigns, long OrderedUnits);
public sealed record NaiveStockLevel(string DistributorId, string Sku, int OnHand, int Reserved);
public sealed record NaiveCampaignTotal(string Id, int Cap, int Sold);

/// <summary>The outcome of one order: the order, or a problem with its HTTP status.</summary>
public readonly record struct NaiveResult(OrderResponse? Order, int Status, string? Problem);

/// <summary>The order service people usually build: every order is one READ COMMITTED transaction that locks a stock
/// row (the home distributor's when it has enough, else the best-stocked one) with SELECT … FOR UPDATE, takes the units
/// off it, checks the customer's limit, raises the campaign's sold count under its cap and inserts the order.
/// Durable at commit (synchronous_commit on), like an acknowledged order of the engine.</summary>
public sealed class NaiveStore(string connectionString)
{
    private readonly NpgsqlDataSource _db = NpgsqlDataSource.Create(connectionString);

    private const string Schema = """
        DROP TABLE IF EXISTS orders, stock, campaigns, customers;
        CREATE TABLE campaigns (id text PRIMARY KEY, sku text NOT NULL, cap int NOT NULL, sold int NOT NULL DEFAULT 0,
                                per_customer_limit int NOT NULL, CHECK (sold <= cap));
        CREATE TABLE customers (id text PRIMARY KEY, home_distributor text);
        CREATE TABLE stock (distributor_id text NOT NULL, sku text NOT NULL, on_hand int NOT NULL, reserved int NOT NULL DEFAULT 0,
                            PRIMARY KEY (distributor_id, sku), CHECK (reserved <= on_hand));
        CREATE TABLE orders (id text PRIMARY KEY, customer_id text NOT NULL, campaign_id text NOT NULL, distributor_id text NOT NULL,
                             sku text NOT NULL, quantity int NOT NULL, created_at timestamptz NOT NULL DEFAULT now());
        CREATE INDEX orders_customer ON orders (customer_id, campaign_id);
        """;

    public async Task SetupAsync(NaiveSetup setup)
    {
        await using var conn = await _db.OpenConnectionAsync();
        await using (var cmd = new NpgsqlCommand(Schema, conn)) await cmd.ExecuteNonQueryAsync();
        await using (var copy = await conn.BeginBinaryImportAsync("COPY campaigns (id, sku, cap, per_customer_limit) FROM STDIN (FORMAT BINARY)"))
        {
            foreach (var c in setup.Campaigns) await copy.WriteRowAsync(default, c.Id, c.Sku, c.Cap, c.PerCustomerLimit);
            await copy.CompleteAsync();
        }
        await using (var copy = await conn.BeginBinaryImportAsync("COPY stock (distributor_id, sku, on_hand) FROM STDIN (FORMAT BINARY)"))
        {
            foreach (var s in setup.Stock) await copy.WriteRowAsync(default, s.DistributorId, s.Sku, s.OnHand);
            await copy.CompleteAsync();
        }
        await using (var copy = await conn.BeginBinaryImportAsync("COPY customers (id, home_distributor) FROM STDIN (FORMAT BINARY)"))
        {
            foreach (var c in setup.Customers)
            {
                await copy.StartRowAsync();
                await copy.WriteAsync(c.Id, NpgsqlDbType.Text);
                if (c.HomeDistributorId is null) await copy.WriteNullAsync();
                else await copy.WriteAsync(c.HomeDistributorId, NpgsqlDbType.Text);
            }
            await copy.CompleteAsync();
        }
        await using (var cmd = new NpgsqlCommand("ANALYZE", conn)) await cmd.ExecuteNonQueryAsync();
    }

    public async Task<NaiveResult> PlaceAsync(string campaignId, string customerId, string key, int quantity, CancellationToken ct)
    {
        var orderId = "o-" + customerId + "-" + key;
        await using var conn = await _db.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);

        if (await ExistingAsync(conn, tx, orderId, ct) is { } replay) return new(replay, 201, null);

        string sku; int limit;
        await using var cmd = new NpgsqlCommand("SELECT c.sku, c.per_customer_limit, u.home_distributor FROM campaigns c, customers u WHERE c.id = $1 AND u.id = $2", conn, tx);
        cmd.Parameters.Add(new() { Value = campaignId });
        cmd.Parameters.Add(new() { Value = customerId });
        await using var r = await cmd.ExecuteReaderAsync(ct);
        if (!await r.ReadAsync(ct)) return new(null, 404, "notFound");
        (sku, limit) = (r.GetString(0), r.GetInt32(1));
        var home = r.IsDBNull(2) ? null : r.GetString(2);
        await r.CloseAsync();
        return await ReserveAsync(conn, tx, orderId, campaignId, customerId, sku, limit, home, quantity, ct);
    }

    private static async Task<NaiveResult> ReserveAsync(NpgsqlConnection conn, NpgsqlTransaction tx, string orderId, string campaignId,
        string customerId, string sku, int limit, string? home, int quantity, CancellationToken ct)
    {
        await using (var cmd = new NpgsqlCommand("SELECT coalesce(sum(quantity), 0) FROM orders WHERE customer_id = $1 AND campaign_id = $2", conn, tx))
        {
            cmd.Parameters.Add(new() { Value = customerId });
            cmd.Parameters.Add(new() { Value = campaignId });
            if ((long)(await cmd.ExecuteScalarAsync(ct))! + quantity > limit) return new(null, 422, "limitExceeded");
        }

        string? distributor;
        await using (var cmd = new NpgsqlCommand("""
            SELECT distributor_id FROM stock WHERE sku = $1 AND on_hand - reserved >= $2
            ORDER BY distributor_id = $3 DESC, on_hand - reserved DESC LIMIT 1 FOR UPDATE
            """, conn, tx))
        {
            cmd.Parameters.Add(new() { Value = sku });
            cmd.Parameters.Add(new() { Value = quantity });
            cmd.Parameters.Add(new() { Value = home ?? "" });
            distributor = (string?)await cmd.ExecuteScalarAsync(ct);
        }
        if (distributor is null) return new(null, 409, "outOfStock");
        await using (var cmd = new NpgsqlCommand("UPDATE stock SET reserved = reserved + $3 WHERE distributor_id = $1 AND sku = $2", conn, tx))
        {
            cmd.Parameters.Add(new() { Value = distributor });
            cmd.Parameters.Add(new() { Value = sku });
            cmd.Parameters.Add(new() { Value = quantity });
            await cmd.ExecuteNonQueryAsync(ct);
        }
        // Last, so the campaign's row (every order's hot row) stays locked for as short a time as possible.
        await using (var cmd = new NpgsqlCommand("UPDATE campaigns SET sold = sold + $2 WHERE id = $1 AND sold + $2 <= cap", conn, tx))
        {
            cmd.Parameters.Add(new() { Value = campaignId });
            cmd.Parameters.Add(new() { Value = quantity });
            if (await cmd.ExecuteNonQueryAsync(ct) == 0) return new(null, 409, "soldOut");
        }
        await using (var cmd = new NpgsqlCommand("INSERT INTO orders (id, customer_id, campaign_id, distributor_id, sku, quantity) VALUES ($1, $2, $3, $4, $5, $6)", conn, tx))
        {
            cmd.Parameters.Add(new() { Value = orderId });
            cmd.Parameters.Add(new() { Value = customerId });
            cmd.Parameters.Add(new() { Value = campaignId });
            cmd.Parameters.Add(new() { Value = distributor });
            cmd.Parameters.Add(new() { Value = sku });
            cmd.Parameters.Add(new() { Value = quantity });
            try { await cmd.ExecuteNonQueryAsync(ct); }
            catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.UniqueViolation) { return new(null, 409, "concurrentRetry"); }
        }
        await tx.CommitAsync(ct);
        return new(new OrderResponse(orderId, "Allocated", [new AllocationDto(distributor, sku, quantity)]), 201, null);
    }

    private static async Task<OrderResponse?> ExistingAsync(NpgsqlConnection conn, NpgsqlTransaction tx, string orderId, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand("SELECT distributor_id, sku, quantity FROM orders WHERE id = $1", conn, tx);
        cmd.Parameters.Add(new() { Value = orderId });
        await using var r = await cmd.ExecuteReaderAsync(ct);
        if (!await r.ReadAsync(ct)) return null;
        return new OrderResponse(orderId, "Allocated", [new AllocationDto(r.GetString(0), r.GetString(1), r.GetInt32(2))]);
    }

    public async Task<NaiveAudit> AuditAsync()
    {
        await using var conn = await _db.OpenConnectionAsync();
        var stock = new List<NaiveStockLevel>();
        await using (var cmd = new NpgsqlCommand("SELECT distributor_id, sku, on_hand, reserved FROM stock ORDER BY 1, 2", conn))
        await using (var r = await cmd.ExecuteReaderAsync())
            while (await r.ReadAsync()) stock.Add(new(r.GetString(0), r.GetString(1), r.GetInt32(2), r.GetInt32(3)));
        var campaigns = new List<NaiveCampaignTotal>();
        await using (var cmd = new NpgsqlCommand("SELECT id, cap, sold FROM campaigns ORDER BY 1", conn))
        await using (var r = await cmd.ExecuteReaderAsync())
            while (await r.ReadAsync()) campaigns.Add(new(r.GetString(0), r.GetInt32(1), r.GetInt32(2)));
        await using var sum = new NpgsqlCommand("SELECT coalesce(sum(quantity), 0) FROM orders", conn);
        return new NaiveAudit(stock, campaigns, (long)(await sum.ExecuteScalarAsync())!);
    }
}
