using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Routing.Silo.Postgres;

/// <summary>Before anything touches the database at start-up: migrate (the default, safe with many nodes starting at
/// once) or only check that the schema is current. Either way an unreachable database or a schema that is behind
/// stops the node with a message that says what to do.</summary>
public sealed class SchemaStartup(RoutingSettings settings, ILogger<SchemaStartup> logger)
{
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var migrator = new SchemaMigrator(settings.ConnectionString!, logger);
        if (settings.MigrateOnStart) await migrator.MigrateAsync(cancellationToken);
        else await migrator.VerifyAsync(cancellationToken);
    }
}

/// <summary>Runs <see cref="SchemaStartup"/> first in a silo's life, before clustering, storage and reminders start.</summary>
public sealed class SiloSchemaStartup(SchemaStartup startup) : ILifecycleParticipant<ISiloLifecycle>
{
    public void Participate(ISiloLifecycle lifecycle) =>
        lifecycle.Subscribe(nameof(SiloSchemaStartup), ServiceLifecycleStage.First, startup.RunAsync);
}

/// <summary>Runs <see cref="SchemaStartup"/> in an API node that is an Orleans client; registered before the client
/// so it runs before the client connects.</summary>
public sealed class ClientSchemaStartup(SchemaStartup startup) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) => startup.RunAsync(cancellationToken);
    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
