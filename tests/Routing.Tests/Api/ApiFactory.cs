using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Configuration;
using Routing.Api.Auth;

namespace Routing.Tests.Api;

/// <summary>The real API host (with its in-process Orleans silo), shared by every API test class.
/// No demo data, a test signing key, and Orleans ports picked free at start so it never meets another cluster. The rate
/// limits are the defaults (the tests live with what a real sale lives with), except failed sign-ins: the bad-token tests
/// all come from one address.</summary>
public class ApiFactory : WebApplicationFactory<Program>, IAsyncLifetime
{
    public const string SigningKey = "routing-api-tests-signing-key-0123456789-abcdef";

    private readonly int _siloPort = FreeTcpPort();
    private readonly int _gatewayPort = FreeTcpPort();

    /// <summary>The settings tokens are minted with: the same key the host validates with.</summary>
    public IConfiguration TokenSettings { get; } = new ConfigurationBuilder()
        .AddInMemoryCollection(new Dictionary<string, string?> { [JwtSetup.SigningKeySetting] = SigningKey })
        .Build();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        // Host settings reach Program before it reads builder.Configuration (auth and silo are configured eagerly).
        builder.UseSetting("Demo:Seed", "false");
        builder.UseSetting(JwtSetup.SigningKeySetting, SigningKey);
        builder.UseSetting("Storage:Provider", "Memory");
        builder.UseSetting("Orleans:SiloPort", _siloPort.ToString(CultureInfo.InvariantCulture));
        builder.UseSetting("Orleans:GatewayPort", _gatewayPort.ToString(CultureInfo.InvariantCulture));
        builder.UseSetting("Orleans:ClusterId", $"api-tests-{Guid.NewGuid():N}");
        builder.UseSetting("Orleans:ServiceId", "routing-api-tests");
        builder.UseSetting("Logging:LogLevel:Default", "Warning");
        builder.UseSetting("RateLimits:FailedSignInsPerMinute", "100000");
        foreach (var (name, value) in Settings) builder.UseSetting(name, value);
    }

    /// <summary>Settings of a host made for one kind of test, over the ones above.</summary>
    protected virtual IEnumerable<(string Name, string Value)> Settings => [];

    public string Token(string role, string? distributorId = null, string? customerId = null, string? salesId = null) =>
        TokenIssuer.Issue(TokenSettings, role, distributorId, customerId, salesId: salesId);

    public string OpsToken => Token(Roles.Ops);

    /// <summary>A client that sends <paramref name="token"/> as its bearer token (none when null).</summary>
    public HttpClient Client(string? token)
    {
        var client = CreateClient();
        if (token is not null) client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    public HttpClient Ops() => Client(OpsToken);
    public HttpClient AsDistributor(string distributorId) => Client(Token(Roles.Distributor, distributorId: distributorId));
    public HttpClient AsCustomer(string customerId) => Client(Token(Roles.Customer, customerId: customerId));
    public HttpClient AsSales(string salesId) => Client(Token(Roles.Sales, salesId: salesId));

    /// <summary>Starts the host and waits until it reports ready (the silo answers).</summary>
    public async Task InitializeAsync()
    {
        using var client = CreateClient();
        await Eventually.UntilAsync(async () => (await client.GetAsync("/health")).StatusCode, s => s == HttpStatusCode.OK,
            "the host to report healthy", within: TimeSpan.FromSeconds(60));
    }

    Task IAsyncLifetime.DisposeAsync() => base.DisposeAsync().AsTask();

    private static int FreeTcpPort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        try { return ((IPEndPoint)listener.LocalEndpoint).Port; }
        finally { listener.Stop(); }
    }
}

/// <summary>Every API test class shares one host: starting a silo per class would cost seconds each.
/// Tests in the collection run one after another, and each builds its own world with unique ids.</summary>
[CollectionDefinition(Name)]
public sealed class ApiCollection : ICollectionFixture<ApiFactory>
{
    public const string Name = "api";
}
