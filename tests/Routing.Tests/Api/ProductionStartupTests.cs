using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Reflection;
using System.Text;
using Microsoft.Extensions.Configuration;
using Routing.Api.Auth;
using Routing.Api.Infrastructure;

namespace Routing.Tests.Api;

/// <summary>The API started as a process, as deployed (<c>dotnet Routing.Api.dll</c>) and as a developer starts it
/// (<c>dotnet run --project api</c>, with its launch profile). Production honours its environment, refuses a missing
/// or short signing key in one line with exit code 1, prints no token, has no development key and no development
/// tokens, and sends the security headers. The launch profile's default (Development) applies only when no
/// environment is set.</summary>
public sealed class ProductionStartupTests(ProductionStartupTests.ProductionHost production) : IClassFixture<ProductionStartupTests.ProductionHost>
{
    private const string GoodKey = "production-startup-tests-signing-key-0123456789";

    [Theory]
    [InlineData(null, "is not set")]
    [InlineData("only-31-bytes-long-0123456789ab", "is 31 bytes long")]
    public async Task Production_refuses_a_missing_or_short_signing_key_in_one_line_with_exit_code_1(string? key, string says)
    {
        var run = await ApiProcess.RunToExitAsync(Settings("Production", key: key));

        Assert.Equal(1, run.ExitCode);
        var line = Assert.Single(run.Lines);
        Assert.StartsWith("routing api: Auth:SigningKey ", line);
        Assert.Contains(says, line);
    }

    [Fact]
    public async Task A_host_with_no_environment_set_is_Production_and_has_no_development_key()
    {
        var run = await ApiProcess.RunToExitAsync(Settings(environment: null, key: null));
        Assert.Equal(1, run.ExitCode);
        Assert.StartsWith("routing api: Auth:SigningKey is not set", Assert.Single(run.Lines));
    }

    [Fact]
    public async Task ASPNETCORE_ENVIRONMENT_wins_over_the_launch_profile_of_dotnet_run()
    {
        var run = await ApiProcess.RunToExitAsync(Settings("Production", key: null), ApiProcess.Launch.DotnetRun);
        Assert.Equal(1, run.ExitCode);
        Assert.StartsWith("routing api: Auth:SigningKey is not set", Assert.Single(run.Lines));
    }

    [Fact]
    public async Task Dotnet_run_with_nothing_set_is_the_Development_embedded_default_with_its_ops_token()
    {
        await using var api = await ApiProcess.StartAsync(Settings(environment: null, key: null), ApiProcess.Launch.DotnetRun);
        using var http = new HttpClient { BaseAddress = api.Url };

        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/api/dev/tokens?role=ops")).StatusCode);
        Assert.Contains("eyJ", await api.OutputWhenBannerPrintedAsync());
    }

    [Fact]
    public async Task Production_prints_no_token()
    {
        var output = await production.Api.OutputWhenBannerPrintedAsync();
        Assert.DoesNotContain("eyJ", output);
        Assert.Contains("(Production)", output);
    }

    [Fact]
    public async Task Production_hands_out_no_development_tokens()
    {
        using var http = production.Client(token: null);
        var answer = await http.GetAsync("/api/dev/tokens?role=ops");
        Assert.True(answer.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.Unauthorized, $"GET /api/dev/tokens: {answer.StatusCode}");
    }

    [Fact]
    public async Task Production_refuses_a_token_signed_with_the_development_key()
    {
        var development = new ConfigurationBuilder().AddJsonFile(Path.Combine(ApiProcess.ApiDirectory, "appsettings.Development.json")).Build();
        Assert.NotNull(development[JwtSetup.SigningKeySetting]);
        using var forged = production.Client(TokenIssuer.Issue(development, Roles.Ops));
        Assert.Equal(HttpStatusCode.Unauthorized, (await forged.GetAsync("/api/campaigns")).StatusCode);

        using var genuine = production.Client(ProductionHost.Token(Roles.Ops));
        Assert.Equal(HttpStatusCode.OK, (await genuine.GetAsync("/api/campaigns")).StatusCode);
    }

    [Theory]
    [InlineData("/api/campaigns", true)]
    [InlineData("/api/campaigns/none-such", true)]
    [InlineData("/", false)]
    public async Task Answers_carry_the_security_headers_and_no_Server_header(string path, bool isApi)
    {
        using var http = production.Client(ProductionHost.Token(Roles.Ops));
        var answer = await http.GetAsync(path);

        Assert.Equal(["nosniff"], answer.Headers.GetValues("X-Content-Type-Options"));
        Assert.Equal(["no-referrer"], answer.Headers.GetValues("Referrer-Policy"));
        Assert.Contains("frame-ancestors 'none'", Assert.Single(answer.Headers.GetValues("Content-Security-Policy")));
        Assert.False(answer.Headers.Contains("Server"), $"{path} names its server: {string.Join(", ", answer.Headers.Server)}");
        if (isApi) Assert.True(answer.Headers.CacheControl?.NoStore, $"{path}: Cache-Control {answer.Headers.CacheControl}");
        else Assert.Equal("text/html", answer.Content.Headers.ContentType?.MediaType); // the console (web-ops/dist) is built
    }

    /// <summary>The child's environment: <paramref name="environment"/> as ASPNETCORE_ENVIRONMENT (none when null) and
    /// the signing key (none when null); in-memory storage.</summary>
    private static Dictionary<string, string?> Settings(string? environment, string? key) => new()
    {
        ["ASPNETCORE_ENVIRONMENT"] = environment,
        ["DOTNET_ENVIRONMENT"] = null,
        [DefaultEnvironment.Variable] = null,
        ["Auth__SigningKey"] = key,
        ["Storage__Provider"] = "Memory",
        ["Demo__Seed"] = "false",
    };

    /// <summary>One API process started as the attack did (<c>ASPNETCORE_ENVIRONMENT=Production dotnet run --project
    /// api</c>), with a good key; shared by the tests that only look at it.</summary>
    public sealed class ProductionHost : IAsyncLifetime
    {
        private ApiProcess? _api;

        public ApiProcess Api => _api ?? throw new InvalidOperationException("the API is not started yet");

        public async Task InitializeAsync() => _api = await ApiProcess.StartAsync(Settings("Production", GoodKey), ApiProcess.Launch.DotnetRun);

        public async Task DisposeAsync()
        {
            if (_api is not null) await _api.DisposeAsync();
        }

        public static string Token(string role) => TokenIssuer.Issue(
            new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { [JwtSetup.SigningKeySetting] = GoodKey }).Build(), role);

        public HttpClient Client(string? token)
        {
            var http = new HttpClient { BaseAddress = Api.Url };
            if (token is not null) http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
            return http;
        }
    }
}

/// <summary>The built API (the test project's own configuration, e.g. Release) run as a child process from the api
/// folder, as <c>web-ops/e2e/run.sh</c> runs it: its own loopback ports and cluster id.</summary>
public sealed class ApiProcess : IAsyncDisposable
{
    /// <summary>How the host is started: the dll itself, or <c>dotnet run --no-build</c> (which applies the launch profile).</summary>
    public enum Launch { Dll, DotnetRun }

    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private ApiProcess(Process process, Uri url)
    {
        _process = process;
        Url = url;
    }

    public Uri Url { get; }

    public static string ApiDirectory { get; } = Path.Combine(FindRepoRoot(), "api");

    private static string Configuration { get; } =
        typeof(ApiProcess).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Release";

    private static string Dll { get; } = Path.Combine(ApiDirectory, "bin", Configuration, "net10.0", "Routing.Api.dll");

    /// <summary>Runs a host expected to stop on its own; answers its exit code and its non-empty output lines.</summary>
    public static async Task<(int ExitCode, IReadOnlyList<string> Lines)> RunToExitAsync(Dictionary<string, string?> environment, Launch launch = Launch.Dll)
    {
        await using var api = Start(environment, launch);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await api._process.WaitForExitAsync(timeout.Token);
        api._process.WaitForExit(); // the output readers drain
        return (api._process.ExitCode, [.. api.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Where(line => !line.StartsWith("Using launch settings from", StringComparison.Ordinal))]); // dotnet run's own line
    }

    /// <summary>Starts a host and waits until <c>/health</c> answers 200.</summary>
    public static async Task<ApiProcess> StartAsync(Dictionary<string, string?> environment, Launch launch = Launch.Dll)
    {
        var api = Start(environment, launch);
        using var http = new HttpClient { BaseAddress = api.Url, Timeout = TimeSpan.FromSeconds(5) };
        try
        {
            var state = await Eventually.UntilAsync(async () =>
            {
                if (api._process.HasExited) return $"exited with {api._process.ExitCode}";
                try { return (await http.GetAsync("/health")).StatusCode == HttpStatusCode.OK ? "healthy" : "not yet healthy"; }
                catch (Exception e) when (e is HttpRequestException or TaskCanceledException) { return "not answering"; }
            }, s => s is "healthy" || s.StartsWith("exited", StringComparison.Ordinal), "the API to report healthy",
                within: TimeSpan.FromSeconds(90));
            if (state != "healthy") throw new InvalidOperationException($"the API {state}");
            return api;
        }
        catch (Exception e)
        {
            var output = api.Output;
            await api.DisposeAsync();
            throw new InvalidOperationException($"{e.Message}; it printed:\n{output}", e);
        }
    }

    /// <summary>Everything it printed, once its start-up banner (printed when it listens) is out.</summary>
    public Task<string> OutputWhenBannerPrintedAsync() =>
        Eventually.UntilAsync(() => Output, o => o.Contains("Routing is running at"), "the start-up banner");

    private string Output
    {
        get { lock (_output) return _output.ToString(); }
    }

    private static ApiProcess Start(Dictionary<string, string?> environment, Launch launch)
    {
        if (!File.Exists(Dll)) throw new FileNotFoundException($"build the API first (dotnet build api -c Release): {Dll} is missing");
        var url = new Uri($"http://127.0.0.1:{FreeTcpPort()}");
        var info = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = ApiDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        string[] host = launch == Launch.Dll ? [Dll] : ["run", "--no-build", "-c", Configuration, "--project", ApiDirectory, "--"];
        foreach (var arg in host.Concat(["--urls", url.ToString(), "--Orleans:SiloPort", FreeTcpPort().ToString(CultureInfo.InvariantCulture),
                     "--Orleans:GatewayPort", FreeTcpPort().ToString(CultureInfo.InvariantCulture), "--Orleans:ClusterId", $"startup-tests-{Guid.NewGuid():N}"]))
            info.ArgumentList.Add(arg);
        foreach (var (name, value) in environment)
        {
            if (value is null) info.Environment.Remove(name);
            else info.Environment[name] = value;
        }
        var process = new Process { StartInfo = info };
        var api = new ApiProcess(process, url);
        process.OutputDataReceived += (_, e) => api.Append(e.Data);
        process.ErrorDataReceived += (_, e) => api.Append(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return api;
    }

    private void Append(string? line)
    {
        if (line is null) return;
        lock (_output) _output.Append(line).Append('\n');
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
    }

    private static string FindRepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Routing.sln"))) return dir.FullName;
        throw new DirectoryNotFoundException($"no Routing.sln above {AppContext.BaseDirectory}");
    }

    private static int FreeTcpPort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        try { return ((IPEndPoint)listener.LocalEndpoint).Port; }
        finally { listener.Stop(); }
    }
}
