using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using Routing.Silo;
using Routing.Silo.Postgres;

namespace Routing.Tests.Postgres;

[Collection(PostgresCollection.Name)]
public sealed class MigrationTests(PostgresFixture postgres)
{
    [Fact]
    public async Task Migration_is_idempotent_and_safe_to_run_concurrently()
    {
        var db = await postgres.CreateDatabaseAsync("migrate");

        // Eight nodes starting at once: one migrates under the advisory lock, the others then find nothing to do.
        var runs = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(() => new SchemaMigrator(db, NullLogger.Instance).MigrateAsync())));
        Assert.Equal(Enumerable.Range(1, SchemaMigrator.Required), runs.SelectMany(applied => applied).Order());
        Assert.Single(runs, applied => applied.Count > 0);

        Assert.Empty(await new SchemaMigrator(db, NullLogger.Instance).MigrateAsync());
        await new SchemaMigrator(db, NullLogger.Instance).VerifyAsync();

        await using var connection = new NpgsqlConnection(db);
        await connection.OpenAsync();
        await using var versions = new NpgsqlCommand("SELECT count(*), count(DISTINCT version), max(version) FROM routing_schema_version", connection);
        await using var reader = await versions.ExecuteReaderAsync();
        await reader.ReadAsync();
        Assert.Equal(SchemaMigrator.Required, reader.GetInt64(0));
        Assert.Equal(SchemaMigrator.Required, reader.GetInt64(1));
        Assert.Equal(SchemaMigrator.Required, reader.GetInt32(2));
    }

    [Fact]
    public async Task Every_query_the_Orleans_providers_look_up_is_installed()
    {
        var db = await postgres.CreateDatabaseAsync("queries");
        await new SchemaMigrator(db, NullLogger.Instance).MigrateAsync();
        string[] expected =
        [
            "InsertMembershipVersionKey", "InsertMembershipKey", "UpdateMembershipKey", "UpdateIAmAlivetimeKey", "MembershipReadRowKey",
            "MembershipReadAllKey", "GatewaysQueryKey", "DeleteMembershipTableEntriesKey", "CleanupDefunctSiloEntriesKey", "CleanupDefunctSiloEntryKey",
            "ReadFromStorageKey", "WriteToStorageKey", "ClearStorageKey", "DeleteStorageKey",
            "UpsertReminderRowKey", "ReadReminderRowsKey", "ReadReminderRowKey", "ReadRangeRows1Key", "ReadRangeRows2Key",
            "DeleteReminderRowKey", "DeleteReminderRowsKey",
        ];
        await using var connection = new NpgsqlConnection(db);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT querykey FROM orleansquery", connection);
        var keys = new List<string>();
        await using (var reader = await command.ExecuteReaderAsync())
            while (await reader.ReadAsync()) keys.Add(reader.GetString(0));
        Assert.Equal(expected.Order(), keys.Order());
    }

    [Fact]
    public async Task A_schema_that_is_behind_stops_start_up_with_the_fix()
    {
        var db = await postgres.CreateDatabaseAsync("behind");
        var error = await Assert.ThrowsAsync<RoutingStartupException>(() => new SchemaMigrator(db, NullLogger.Instance).VerifyAsync());
        Assert.Contains("schema is at version 0", error.Message);
        Assert.Contains("migrate", error.Message);
    }

    [Fact]
    public async Task An_unreachable_database_stops_start_up_with_a_clear_message()
    {
        var unreachable = $"Host=127.0.0.1;Port=1;Username=routing;Password=secret;Database=routing;Timeout=3";
        var error = await Assert.ThrowsAsync<RoutingStartupException>(() => new SchemaMigrator(unreachable, NullLogger.Instance).MigrateAsync());
        Assert.Contains("Cannot reach PostgreSQL at 127.0.0.1:1/routing as routing", error.Message);
        Assert.DoesNotContain("secret", error.Message);
    }
}
