using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging.Abstractions;

namespace Routing.Silo.Postgres;

/// <summary>The <c>migrate</c> verb of the silo and API hosts: applies pending schema migrations and exits.</summary>
public static class MigrateCommand
{
    public static async Task<int> RunAsync(IConfiguration configuration, TextWriter output)
    {
        var settings = RoutingSettings.From(configuration);
        if (!settings.UsesPostgres)
            throw new RoutingStartupException("migrate needs Storage:Provider=Postgres and ConnectionStrings:Routing.");
        var applied = await new SchemaMigrator(settings.ConnectionString!, NullLogger.Instance).MigrateAsync();
        output.WriteLine(applied.Count == 0
            ? $"schema is up to date (version {SchemaMigrator.Required}) at {SchemaMigrator.Describe(settings.ConnectionString!)}"
            : $"applied migrations {string.Join(", ", applied)}; schema is at version {SchemaMigrator.Required} at {SchemaMigrator.Describe(settings.ConnectionString!)}");
        return 0;
    }
}

/// <summary>Finds the operator-facing cause of a failed start (it may arrive wrapped by the host or Orleans).</summary>
public static class StartupFailure
{
    public static RoutingStartupException? Find(Exception? e)
    {
        for (; e is not null; e = e.InnerException)
        {
            if (e is RoutingStartupException startup) return startup;
            if (e is AggregateException aggregate)
                foreach (var inner in aggregate.InnerExceptions)
                    if (Find(inner) is { } found) return found;
        }
        return null;
    }
}
