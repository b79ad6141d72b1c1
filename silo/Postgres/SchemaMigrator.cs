using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Routing.Silo.Postgres;

/// <summary>Applies the schema scripts of <c>db/migrations</c> (embedded in this assembly) in order, each once, each in
/// its own transaction, recording them in <c>routing_schema_version</c>. Safe when several nodes start at once: the
/// whole run holds a PostgreSQL advisory lock, so one node migrates and the others then find nothing left to do.</summary>
public sealed partial class SchemaMigrator(string connectionString, ILogger logger)
{
    /// <summary>The advisory lock key of schema migrations (any constant the application uses for nothing else).</summary>
    public const long LockKey = 0x526f7574696e67; // "Routing"

    /// <summary>Every migration this build knows, by version.</summary>
    public static IReadOnlyList<Migration> Known { get; } = LoadEmbedded();

    /// <summary>The schema version this build needs.</summary>
    public static int Required => Known[^1].Version;

    /// <summary>Brings the schema up to <see cref="Required"/>; answers the versions it applied (none when up to date).</summary>
    public async Task<IReadOnlyList<int>> MigrateAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await ExecuteAsync(connection, $"SELECT pg_advisory_lock({LockKey})", cancellationToken);
        try
        {
            await ExecuteAsync(connection, """
                CREATE TABLE IF NOT EXISTS routing_schema_version (
                    version    integer     NOT NULL PRIMARY KEY,
                    name       text        NOT NULL,
                    applied_at timestamptz NOT NULL DEFAULT now())
                """, cancellationToken);
            var current = await CurrentVersionAsync(connection, cancellationToken);
            var applied = new List<int>();
            foreach (var migration in Known.Where(m => m.Version > current))
            {
                await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
                // No command timeout: a step may rewrite a large table (0013 backfills every order); the token bounds it.
                await using (var command = new NpgsqlCommand(migration.Sql, connection, transaction) { CommandTimeout = 0 })
                    await command.ExecuteNonQueryAsync(cancellationToken);
                await using (var record = new NpgsqlCommand("INSERT INTO routing_schema_version (version, name) VALUES (@v, @n)", connection, transaction))
                {
                    record.Parameters.AddWithValue("v", migration.Version);
                    record.Parameters.AddWithValue("n", migration.Name);
                    await record.ExecuteNonQueryAsync(cancellationToken);
                }
                await transaction.CommitAsync(cancellationToken);
                LogApplied(logger, migration.Version, migration.Name);
                applied.Add(migration.Version);
            }
            return applied;
        }
        finally
        {
            await ExecuteAsync(connection, $"SELECT pg_advisory_unlock({LockKey})", CancellationToken.None);
        }
    }

    /// <summary>Fails with a clear message unless the schema is exactly at <see cref="Required"/>.</summary>
    public async Task VerifyAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var exists = new NpgsqlCommand("SELECT to_regclass('routing_schema_version') IS NOT NULL", connection);
        var current = (bool)(await exists.ExecuteScalarAsync(cancellationToken))! ? await CurrentVersionAsync(connection, cancellationToken) : 0;
        if (current < Required)
            throw new RoutingStartupException(
                $"The database schema is at version {current}; this build needs {Required}. Run the migration step: " +
                "`dotnet run --project silo -- migrate` (or set Database:MigrateOnStart=true).");
        if (current > Required)
            throw new RoutingStartupException(
                $"The database schema is at version {current}, newer than this build knows ({Required}): deploy the newer build.");
    }

    /// <summary>Opens a connection, turning "cannot connect" into a message that says what to fix.</summary>
    public async Task<NpgsqlConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var connection = new NpgsqlConnection(connectionString);
        try
        {
            await connection.OpenAsync(cancellationToken);
            return connection;
        }
        catch (Exception e) when (e is NpgsqlException or System.Net.Sockets.SocketException or TimeoutException or ArgumentException)
        {
            await connection.DisposeAsync();
            throw new RoutingStartupException(
                $"Cannot reach PostgreSQL at {Describe(connectionString)} (ConnectionStrings:Routing): {e.Message}. " +
                "Start the database or fix the connection string.", e);
        }
    }

    /// <summary>Host, port, database and user of a connection string, never its password.</summary>
    public static string Describe(string connectionString)
    {
        try
        {
            var b = new NpgsqlConnectionStringBuilder(connectionString);
            return $"{b.Host}:{b.Port}/{b.Database} as {b.Username}";
        }
        catch (ArgumentException)
        {
            return "(an unreadable connection string)";
        }
    }

    private static async Task<int> CurrentVersionAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("SELECT coalesce(max(version), 0) FROM routing_schema_version", connection);
        return (int)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static List<Migration> LoadEmbedded()
    {
        var assembly = typeof(SchemaMigrator).Assembly;
        var migrations = new List<Migration>();
        foreach (var resource in assembly.GetManifestResourceNames())
        {
            var match = ResourceName().Match(resource);
            if (!match.Success) continue;
            using var stream = assembly.GetManifestResourceStream(resource)!;
            using var reader = new StreamReader(stream);
            migrations.Add(new Migration(int.Parse(match.Groups["version"].Value, CultureInfo.InvariantCulture), match.Groups["name"].Value, reader.ReadToEnd()));
        }
        migrations.Sort((a, b) => a.Version.CompareTo(b.Version));
        for (var i = 0; i < migrations.Count; i++)
            if (migrations[i].Version != i + 1)
                throw new InvalidOperationException($"Schema migrations must be numbered 1, 2, 3… without gaps; found {migrations[i].Version} at position {i + 1}.");
        return migrations;
    }

    [GeneratedRegex(@"^Routing\.Migrations\.(?<version>\d{4})_(?<name>[a-z0-9_]+)\.sql$")]
    private static partial Regex ResourceName();

    [LoggerMessage(Level = LogLevel.Information, Message = "Schema migration {Version} {Name} applied")]
    private static partial void LogApplied(ILogger logger, int version, string name);
}

/// <summary>One schema script: <c>db/migrations/NNNN_name.sql</c>.</summary>
public sealed record Migration(int Version, string Name, string Sql);
