using Npgsql;
using Routing.LocalPostgres;

namespace Routing.Tests.Postgres;

/// <summary>One throwaway PostgreSQL server (tools/Routing.LocalPostgres) shared by every PostgreSQL test class;
/// each test takes a database of its own. A missing PostgreSQL fails loudly with the fix.</summary>
public sealed class PostgresFixture : IAsyncLifetime
{
    private LocalPostgresServer? _server;
    private int _databases;

    private LocalPostgresServer Server => _server ?? throw new InvalidOperationException("PostgreSQL is not started yet.");

    // Durability of the test server itself is not under test (silos crash here, the database does not): no fsync.
    public async Task InitializeAsync() => _server = await LocalPostgresServer.StartAsync(durable: false, maxConnections: 400);

    public async Task DisposeAsync()
    {
        if (_server is not null) await _server.DisposeAsync();
    }

    /// <summary>A new, empty database on the server; answers its connection string.</summary>
    public async Task<string> CreateDatabaseAsync(string purpose)
    {
        var name = $"{purpose}_{Interlocked.Increment(ref _databases)}".ToLowerInvariant();
        await using (var connection = new NpgsqlConnection(Server.ConnectionString()))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", connection);
            await command.ExecuteNonQueryAsync();
        }
        return Server.ConnectionString(name) + ";Maximum Pool Size=60;Timeout=15";
    }
}

[CollectionDefinition(Name)]
public sealed class PostgresCollection : ICollectionFixture<PostgresFixture>
{
    public const string Name = "PostgreSQL";
}
