using Npgsql;
using Routing.Contracts;
using Routing.Contracts.Catalog;
using Routing.Contracts.Customers;
using Routing.Contracts.Distributors;
using Routing.Domain;

namespace Routing.Tests.Postgres;

/// <summary>The Orleans ADO.NET providers against our own schema: grain storage, membership, reminders.</summary>
[Collection(PostgresCollection.Name)]
public sealed class ProviderRoundTripTests(PostgresFixture postgres)
{
    [Fact]
    public async Task Grain_state_written_is_read_back_after_the_cluster_restarts()
    {
        var db = await postgres.CreateDatabaseAsync("roundtrip");
        var profile = new DistributorProfile("d-rt", "Round Trip Agri", ["4201"], new GeoPoint(30.5, 114.3), 1, 5000);
        await using (var cluster = await PostgresCluster.StartAsync(db, "roundtrip", silos: 1))
        {
            var grains = cluster.Client;
            Assert.Equal(UpsertResult.Created, await grains.GetGrain<IProductCatalogGrain>(0).UpsertAsync(new Product("UREA-50", "Urea", "bag", "fertiliser", [])));
            Assert.Equal(UpsertResult.Created, await grains.GetGrain<IDistributorGrain>("d-rt").UpsertProfileAsync(profile));
            Assert.Equal(StockUpdateOutcome.Updated, (await grains.GetGrain<IDistributorGrain>("d-rt").SetStockAsync("UREA-50", 120, 10)).Outcome);
            Assert.Equal(UpsertResult.Created, await grains.GetGrain<ICustomerGrain>("c-rt").UpsertAsync(
                new CustomerProfile("c-rt", "Grower", "420106", new GeoPoint(30.5, 114.3), "d-rt", "household")));
        }

        await using (var cluster = await PostgresCluster.StartAsync(db, "roundtrip", silos: 1))
        {
            var grains = cluster.Client;
            var stored = await grains.GetGrain<IDistributorGrain>("d-rt").GetProfileAsync();
            Assert.NotNull(stored);
            Assert.Equal(profile.Name, stored.Name);
            Assert.Equal(profile.Regions, stored.Regions);
            var item = Assert.Single(await grains.GetGrain<IDistributorGrain>("d-rt").GetInventoryAsync());
            Assert.Equal((120, 0, 10), (item.OnHand, item.Reserved, item.Threshold));
            Assert.Equal("d-rt", (await grains.GetGrain<ICustomerGrain>("c-rt").GetAsync())?.HomeDistributorId);
            Assert.NotNull(await grains.GetGrain<IProductCatalogGrain>(0).GetAsync("UREA-50"));
        }

        // The state is in PostgreSQL, one row per grain.
        Assert.True(await ScalarAsync<long>(db, "SELECT count(*) FROM routing_grain_state WHERE service_id = 'roundtrip' AND payload IS NOT NULL") >= 3);
    }

    [Fact]
    public async Task Three_silos_join_through_the_membership_table_and_a_dead_one_is_declared_dead()
    {
        var db = await postgres.CreateDatabaseAsync("membership");
        await using var cluster = await PostgresCluster.StartAsync(db, "membership", silos: 3);

        const int active = 3, dead = 6;
        await Eventually.UntilAsync(() => ScalarAsync<long>(db, $"SELECT count(*) FROM orleansmembershiptable WHERE status = {active}"), n => n == 3, "3 active silos");
        Assert.True(await ScalarAsync<int>(db, "SELECT max(version) FROM orleansmembershipversiontable") >= 3);

        await cluster.Cluster.KillSiloAsync(cluster.Cluster.Silos[^1]);
        await Eventually.UntilAsync(() => ScalarAsync<long>(db, $"SELECT count(*) FROM orleansmembershiptable WHERE status = {dead}"), n => n == 1, "the killed silo declared dead");
        await Eventually.UntilAsync(() => ScalarAsync<long>(db, $"SELECT count(*) FROM orleansmembershiptable WHERE status = {active}"), n => n == 2, "2 active silos");

        // The survivors still serve grains.
        Assert.Equal(UpsertResult.Created, await cluster.Client.GetGrain<IProductCatalogGrain>(0).UpsertAsync(new Product("KCL-50", "Potash", "bag", "fertiliser", [])));
    }

    internal static async Task<T> ScalarAsync<T>(string db, string sql)
    {
        await using var connection = new NpgsqlConnection(db);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return (T)(await command.ExecuteScalarAsync())!;
    }
}
