using System.Net;
using Microsoft.Extensions.Configuration;
using Orleans.Configuration;

namespace Routing.Silo;

/// <summary>Host settings read from configuration (files, environment with <c>__</c> for <c>:</c>, command line),
/// with the embedded defaults. See README "Configuration".</summary>
public sealed record RoutingSettings(
    string StorageProvider,
    string? ConnectionString,
    int SiloPort,
    int GatewayPort,
    string ClusterId,
    string ServiceId,
    string OrleansMode,
    IPAddress? AdvertisedAddress,
    bool MigrateOnStart)
{
    public const string Memory = "Memory";
    public const string Postgres = "Postgres";
    public const string ConnectionStringName = "Routing";

    public bool UsesPostgres => StorageProvider == Postgres;

    /// <summary>The API joins a cluster of headless silos as a client instead of hosting a silo.</summary>
    public bool IsClient => OrleansMode.Equals("Client", StringComparison.OrdinalIgnoreCase);

    public static RoutingSettings From(IConfiguration c)
    {
        var provider = c["Storage:Provider"] ?? Memory;
        if (!provider.Equals(Memory, StringComparison.OrdinalIgnoreCase) && !provider.Equals(Postgres, StringComparison.OrdinalIgnoreCase))
            throw new RoutingStartupException($"Storage:Provider '{provider}' is not supported; use '{Memory}' or '{Postgres}'.");
        provider = provider.Equals(Postgres, StringComparison.OrdinalIgnoreCase) ? Postgres : Memory;
        var connectionString = c.GetConnectionString(ConnectionStringName);
        if (provider == Postgres && string.IsNullOrWhiteSpace(connectionString))
            throw new RoutingStartupException(
                "Storage:Provider is Postgres but ConnectionStrings:Routing is not set " +
                "(e.g. ConnectionStrings__Routing=\"Host=localhost;Port=5432;Database=routing;Username=routing;Password=…\").");
        var mode = c["Orleans:Mode"] ?? "Silo";
        if (!mode.Equals("Silo", StringComparison.OrdinalIgnoreCase) && !mode.Equals("Client", StringComparison.OrdinalIgnoreCase))
            throw new RoutingStartupException($"Orleans:Mode '{mode}' is not supported; use 'Silo' or 'Client'.");
        if (mode.Equals("Client", StringComparison.OrdinalIgnoreCase) && provider != Postgres)
            throw new RoutingStartupException("Orleans:Mode=Client needs Storage:Provider=Postgres: clients find the silos through the database.");
        var advertised = c["Orleans:AdvertisedIP"] is { Length: > 0 } ip
            ? IPAddress.TryParse(ip, out var parsed) ? parsed : throw new RoutingStartupException($"Orleans:AdvertisedIP '{ip}' is not an IP address.")
            : null;
        var siloPort = c.GetValue("Orleans:SiloPort", EndpointOptions.DEFAULT_SILO_PORT);
        if (siloPort == 0 && provider == Postgres && !mode.Equals("Client", StringComparison.OrdinalIgnoreCase))
            throw new RoutingStartupException(
                "Orleans:SiloPort 0 (a port the OS picks) is for the embedded silo only (Storage:Provider=Memory): " +
                "silos of a shared cluster dial each other at the port they advertise; give each one its own port.");
        return new RoutingSettings(provider, connectionString,
            siloPort,
            c.GetValue("Orleans:GatewayPort", EndpointOptions.DEFAULT_GATEWAY_PORT),
            c["Orleans:ClusterId"] ?? "routing",
            c["Orleans:ServiceId"] ?? "routing",
            mode,
            advertised,
            c.GetValue("Database:MigrateOnStart", true));
    }
}

/// <summary>A start-up problem the operator must fix (bad setting, unreachable database, schema behind). Hosts print
/// its message alone and exit non-zero.</summary>
public sealed class RoutingStartupException(string message, Exception? inner = null) : Exception(message, inner);
