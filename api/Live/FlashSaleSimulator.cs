using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Http.HttpResults;
using Routing.Api.Auth;
using Routing.Api.Demo;
using Routing.Api.Infrastructure;
using Routing.Contracts.Campaigns;
using Routing.Contracts.Customers;
using Routing.Contracts.Orders;
using Routing.Domain;

namespace Routing.Api.Live;

/// <summary>Start a simulated flash sale: bounded in orders and in time.</summary>
public sealed record FlashSaleRequest(
    [property: StringLength(Limits.MaxIdLength)] string? CampaignId = null,
    [property: Range(1, Limits.MaxSimulatedOrders)] int? Orders = null,
    [property: Range(1, Limits.MaxSimulationSeconds)] int? Seconds = null,
    [property: Range(1, Limits.MaxSimulatedQuantity)] int? MaxQuantity = null);

/// <summary>Progress of a simulated flash sale.</summary>
public sealed record FlashSaleStatus(string CampaignId, int Orders, int Seconds, bool Running, int Placed, int Allocated, int NotAllocated, int Refused, int Failed);

/// <summary>Drives realistic bursts of orders from the demo customers against a campaign, so the console shows live
/// motion. One simulation at a time; each is bounded in count (≤ <see cref="Limits.MaxSimulatedOrders"/>) and time (≤ <see cref="Limits.MaxSimulationSeconds"/> s).</summary>
public sealed partial class FlashSaleSimulator(IGrainFactory grains, IHostApplicationLifetime lifetime, ILogger<FlashSaleSimulator> logger)
{
    private const int MaxInFlight = 64;

    private readonly Lock _lock = new();
    private Run? _current;

    public FlashSaleStatus? Current => _current?.Status();

    /// <summary>Starts a run, or returns null when one is already running.</summary>
    public FlashSaleStatus? Start(string campaignId, int orders, int seconds, int maxQuantity)
    {
        lock (_lock)
        {
            if (_current is { Running: true }) return null;
            _current = new Run(campaignId, orders, seconds);
        }
        var run = _current;
        _ = Task.Run(() => DriveAsync(run, maxQuantity));
        return run.Status();
    }

    private async Task DriveAsync(Run run, int maxQuantity)
    {
        var random = new Random();
        var deadline = DateTime.UtcNow.AddSeconds(run.Seconds);
        using var inFlight = new SemaphoreSlim(MaxInFlight);
        var stopping = lifetime.ApplicationStopping;
        var tasks = new List<Task>(run.Orders);
        try
        {
            for (var i = 0; i < run.Orders && DateTime.UtcNow < deadline && !stopping.IsCancellationRequested; i++)
            {
                var due = run.StartedAt.AddSeconds(run.Seconds * Cumulative(i, run.Orders));
                var wait = due - DateTime.UtcNow;
                if (wait > TimeSpan.Zero) await Task.Delay(wait, stopping);

                await inFlight.WaitAsync(stopping);
                var customerId = $"c-{random.Next(1, DemoData.CustomerCount + 1):0000}";
                var quantity = random.Next(1, maxQuantity + 1);
                tasks.Add(PlaceAsync(run, customerId, quantity).ContinueWith(_ => inFlight.Release(), TaskScheduler.Default));
            }
            await Task.WhenAll(tasks);
        }
        catch (OperationCanceledException) { }
        catch (Exception e) { LogStopped(logger, e); }
        finally { run.Running = false; }
    }

    /// <summary>Share of the run's time by which order <paramref name="i"/> of <paramref name="n"/> is due. Bursty, like a
    /// sale opening: a third of the orders in the first tenth of the time, the rest spread over the remainder.</summary>
    private static double Cumulative(int i, int n)
    {
        var burst = n / 3;
        return i < burst ? 0.1 * i / Math.Max(1, burst) : 0.1 + 0.9 * (i - burst) / Math.Max(1, n - burst);
    }

    private async Task PlaceAsync(Run run, string customerId, int quantity)
    {
        try
        {
            var key = $"sim-{Guid.NewGuid():N}";
            var result = await grains.GetGrain<ICustomerGrain>(customerId).PlaceAsync(new PlaceOrder(customerId, run.CampaignId, [new OrderLine("", quantity)], key));
            Interlocked.Increment(ref run.Placed);
            if (result.Order?.Status == OrderStatus.Allocated) Interlocked.Increment(ref run.Allocated);
            else if (result.Order is not null) Interlocked.Increment(ref run.NotAllocated);
            else Interlocked.Increment(ref run.Refused);
        }
        catch (Exception e)
        {
            Interlocked.Increment(ref run.Failed);
            LogOrderFailed(logger, e);
        }
    }

    private sealed class Run(string campaignId, int orders, int seconds)
    {
        public readonly string CampaignId = campaignId;
        public readonly int Orders = orders;
        public readonly int Seconds = seconds;
        public readonly DateTime StartedAt = DateTime.UtcNow;
        public volatile bool Running = true;
        public int Placed, Allocated, NotAllocated, Refused, Failed;

        public FlashSaleStatus Status() => new(CampaignId, Orders, Seconds, Running, Placed, Allocated, NotAllocated, Refused, Failed);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Flash-sale simulation stopped")]
    private static partial void LogStopped(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Debug, Message = "A simulated order failed")]
    private static partial void LogOrderFailed(ILogger logger, Exception exception);
}

public static class SimulationEndpoints
{
    public static void MapSimulationEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/simulations/flash-sale").WithTags("Simulation").RequireAuthorization(Roles.Ops);

        group.MapPost("/", async Task<Results<Accepted<FlashSaleStatus>, ProblemHttpResult>> (
            FlashSaleRequest? body, FlashSaleSimulator simulator, IGrainFactory grains) =>
        {
            var campaignId = body?.CampaignId ?? DemoData.CampaignId;
            if (await grains.GetGrain<ICampaignGrain>(campaignId).GetAsync() is null)
                return Problems.NotFound($"campaign '{campaignId}' does not exist");
            if (await grains.GetGrain<ICustomerGrain>("c-0001").GetAsync() is null)
                return Problems.Conflict("noDemoData", "the simulator orders as the demo customers; start with Demo:Seed=true");
            var status = simulator.Start(campaignId, body?.Orders ?? 2000, body?.Seconds ?? 20, body?.MaxQuantity ?? 5);
            return status is null
                ? Problems.Conflict("simulationRunning", "a flash-sale simulation is already running")
                : TypedResults.Accepted("/api/simulations/flash-sale", status);
        })
            .WithName("startFlashSale").WithSummary("Start a flash-sale simulation of demo orders").ProducesValidationProblem()
            .ProducesProblem(404).ProducesProblemCodes(409, "noDemoData", "simulationRunning");

        group.MapGet("/", Results<Ok<FlashSaleStatus>, ProblemHttpResult> (FlashSaleSimulator simulator) =>
            simulator.Current is { } status ? TypedResults.Ok(status) : Problems.NotFound("no simulation has run yet"))
            .WithName("getFlashSale").WithSummary("Get the progress of the latest flash-sale simulation").ProducesProblem(404);
    }
}
