using System.Globalization;
using System.Net;
using System.Threading.RateLimiting;
using Routing.Api.Auth;

namespace Routing.Api.Infrastructure;

/// <summary>Rate limits (<c>RateLimits:*</c>), per API host. Placing an order passes three limiters: the customer's token
/// bucket, the campaign's token bucket, and a cap on placements in flight; a client address whose requests keep failing
/// authentication is throttled too. A refused request is answered 429 <c>rateLimited</c> with <c>Retry-After</c>, and
/// nothing has happened. The defaults are what a real flash sale lives with: a grower places a few orders, not dozens a
/// second; a campaign sells thousands a second.</summary>
public sealed record RateLimitSettings
{
    /// <summary>Off only where something else measures or protects (the benchmark sets high limits instead).</summary>
    public bool Enabled { get; init; } = true;
    /// <summary>Placements one customer may make at once, and how many more each second.</summary>
    public int CustomerBurst { get; init; } = 30;
    public int CustomerPerSecond { get; init; } = 10;
    /// <summary>Placements into one campaign at once, and how many more each second.</summary>
    public int CampaignBurst { get; init; } = 20_000;
    public int CampaignPerSecond { get; init; } = 10_000;
    /// <summary>Placements in flight on this host; more are refused rather than queued.</summary>
    public int ConcurrentPlacements { get; init; } = 2_000;
    /// <summary>Requests with credentials that fail authentication, per client address per minute.</summary>
    public int FailedSignInsPerMinute { get; init; } = 30;

    public const string Section = "RateLimits";

    public static RateLimitSettings From(IConfiguration configuration)
    {
        var settings = configuration.GetSection(Section).Get<RateLimitSettings>(o => o.ErrorOnUnknownConfiguration = true) ?? new();
        foreach (var (name, value) in new[]
                 {
                     (nameof(CustomerBurst), settings.CustomerBurst), (nameof(CustomerPerSecond), settings.CustomerPerSecond),
                     (nameof(CampaignBurst), settings.CampaignBurst), (nameof(CampaignPerSecond), settings.CampaignPerSecond),
                     (nameof(ConcurrentPlacements), settings.ConcurrentPlacements), (nameof(FailedSignInsPerMinute), settings.FailedSignInsPerMinute),
                 })
            if (value < 1) throw new Silo.RoutingStartupException($"{Section}:{name} must be at least 1; it is {value}.");
        return settings;
    }
}

public static class RateLimits
{
    /// <summary>Marks an endpoint that places orders.</summary>
    private sealed class PlacementMetadata;

    public static RouteHandlerBuilder LimitedAsPlacement(this RouteHandlerBuilder endpoint) => endpoint.WithMetadata(new PlacementMetadata());

    public static IServiceCollection AddRoutingRateLimits(this IServiceCollection services, IConfiguration configuration)
    {
        var settings = RateLimitSettings.From(configuration);
        services.AddSingleton(settings);
        services.AddSingleton(new FailedSignIns(settings));
        services.AddRateLimiter(options =>
        {
            options.OnRejected = (context, cancellationToken) =>
            {
                var retryAfter = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var after) ? after : TimeSpan.FromSeconds(1);
                return new ValueTask(WriteRefusalAsync(context.HttpContext, retryAfter, "too many orders at once; retry after the time in Retry-After"));
            };
            if (!settings.Enabled) return;
            options.GlobalLimiter = PartitionedRateLimiter.CreateChained(
                Placement(context => context.User.FindFirst(Roles.CustomerIdClaim)?.Value, id => TokenBucket(settings.CustomerBurst, settings.CustomerPerSecond)),
                Placement(context => context.Request.RouteValues["campaignId"] as string, id => TokenBucket(settings.CampaignBurst, settings.CampaignPerSecond)),
                Placement(_ => "host", _ => new ConcurrencyLimiterOptions { PermitLimit = settings.ConcurrentPlacements, QueueLimit = 0 }));
        });
        return services;
    }

    /// <summary>Placement limits, then the failed-sign-in throttle; after authentication, so the customer is known.</summary>
    public static WebApplication UseRoutingRateLimits(this WebApplication app)
    {
        app.UseRateLimiter();
        app.UseMiddleware<FailedSignInThrottle>();
        return app;
    }

    private static TokenBucketRateLimiterOptions TokenBucket(int burst, int perSecond) => new()
    {
        TokenLimit = burst,
        TokensPerPeriod = perSecond,
        ReplenishmentPeriod = TimeSpan.FromSeconds(1),
        QueueLimit = 0,
        AutoReplenishment = true,
    };

    /// <summary>A limiter that applies to placing endpoints only, partitioned by <paramref name="key"/> (none: not limited).</summary>
    private static PartitionedRateLimiter<HttpContext> Placement<TOptions>(Func<HttpContext, string?> key, Func<string, TOptions> options) =>
        PartitionedRateLimiter.Create<HttpContext, string>(context =>
            context.GetEndpoint()?.Metadata.GetMetadata<PlacementMetadata>() is null || key(context) is not { } partition
                ? RateLimitPartition.GetNoLimiter("")
                : options(partition) switch
                {
                    TokenBucketRateLimiterOptions bucket => RateLimitPartition.GetTokenBucketLimiter(partition, _ => bucket),
                    ConcurrencyLimiterOptions concurrency => RateLimitPartition.GetConcurrencyLimiter(partition, _ => concurrency),
                    _ => throw new ArgumentException("unknown limiter options", nameof(options)),
                });

    internal static async Task WriteRefusalAsync(HttpContext http, TimeSpan retryAfter, string detail)
    {
        http.Response.StatusCode = StatusCodes.Status429TooManyRequests;
        http.Response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
        await http.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
        {
            HttpContext = http,
            ProblemDetails =
            {
                Status = StatusCodes.Status429TooManyRequests,
                Title = "Too many requests",
                Detail = detail,
                Extensions = { ["code"] = "rateLimited" },
            },
        });
    }

    /// <summary>Counts requests whose credentials failed authentication, per client address, in one-minute windows.</summary>
    public sealed class FailedSignIns(RateLimitSettings settings)
    {
        private readonly PartitionedRateLimiter<IPAddress> _limiter = PartitionedRateLimiter.Create<IPAddress, IPAddress>(address =>
            settings.Enabled
                ? RateLimitPartition.GetFixedWindowLimiter(address, _ => new FixedWindowRateLimiterOptions
                {
                    PermitLimit = settings.FailedSignInsPerMinute, Window = TimeSpan.FromMinutes(1), QueueLimit = 0,
                })
                : RateLimitPartition.GetNoLimiter(address));

        /// <summary>Counts one failure; null while the address is within its allowance, else how long until it may try again.</summary>
        public TimeSpan? Count(IPAddress address)
        {
            using var lease = _limiter.AttemptAcquire(address);
            if (lease.IsAcquired) return null;
            return lease.TryGetMetadata(MetadataName.RetryAfter, out var after) ? after : TimeSpan.FromMinutes(1);
        }
    }

    /// <summary>A request that brought credentials which failed authentication counts against its address; past the
    /// allowance it is answered 429 instead of 401, so guessing or replaying tokens is slowed to a trickle.</summary>
    private sealed class FailedSignInThrottle(RequestDelegate next, FailedSignIns failures)
    {
        public async Task InvokeAsync(HttpContext context)
        {
            var brought = context.Request.Headers.Authorization.Count > 0
                || (context.Request.Path.StartsWithSegments("/hubs") && context.Request.Query.ContainsKey("access_token"));
            if (brought && context.User.Identity?.IsAuthenticated != true
                && failures.Count(context.Connection.RemoteIpAddress ?? IPAddress.None) is { } retryAfter)
            {
                await WriteRefusalAsync(context, retryAfter, "too many failed sign-ins from this address; retry after the time in Retry-After");
                return;
            }
            await next(context);
        }
    }
}
