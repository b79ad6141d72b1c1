using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Configuration;
using Routing.Api.Auth;
using Routing.Tests.Api;

namespace Routing.Tests.Postgres;

/// <summary>The real API host with its embedded silo on PostgreSQL (ADO.NET clustering and reminders, Routing's grain
/// storage and Npgsql history), on a database of the test's own.</summary>
public sealed class PostgresApi(string connectionString) : WebApplicationFactory<Program>
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseSetting("Demo:Seed", "false");
        builder.UseSetting(JwtSetup.SigningKeySetting, ApiFactory.SigningKey);
        builder.UseSetting("Storage:Provider", "Postgres");
        builder.UseSetting("ConnectionStrings:Routing", connectionString);
        builder.UseSetting("Orleans:SiloPort", FreePort().ToString(CultureInfo.InvariantCulture));
        builder.UseSetting("Orleans:GatewayPort", FreePort().ToString(CultureInfo.InvariantCulture));
        builder.UseSetting("Orleans:ClusterId", $"api-{Guid.NewGuid():N}");
        builder.UseSetting("Orleans:ServiceId", "routing-pg-api");
        builder.UseSetting("Logging:LogLevel:Default", "Warning");
    }

    public HttpClient As(string role, string? distributorId = null, string? customerId = null)
    {
        var settings = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { [JwtSetup.SigningKeySetting] = ApiFactory.SigningKey }).Build();
        var client = CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", TokenIssuer.Issue(settings, role, distributorId, customerId));
        return client;
    }

    private static int FreePort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        try { return ((IPEndPoint)listener.LocalEndpoint).Port; }
        finally { listener.Stop(); }
    }
}
