using Routing.Tests.Api;

namespace Routing.Tests.Postgres;

/// <summary>The real API host with its embedded silo on PostgreSQL (ADO.NET clustering and reminders, Routing's grain
/// storage and Npgsql history), on a database of the test's own; otherwise the API tests' host.</summary>
public sealed class PostgresApi(string connectionString) : ApiFactory
{
    protected override IEnumerable<(string Name, string Value)> Settings =>
    [
        ("Storage:Provider", "Postgres"),
        ("ConnectionStrings:Routing", connectionString),
        ("Orleans:ServiceId", "routing-pg-api"),
    ];
}
