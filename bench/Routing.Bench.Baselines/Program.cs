using System.Text.Json.Serialization;
using Routing.Bench.Baselines;

// Baselines and peers of the load benchmark, on the same machine and the same order route as the engine:
//   --Mode ceiling       a trivial JSON POST endpoint: what the HTTP stack alone can do here;
//   --Mode ceiling-jwt   the same endpoint behind the engine's token validation: the share of auth;
//   --Mode naive         what people build instead: ASP.NET Core + Npgsql, one transaction per order with
//                        SELECT … FOR UPDATE on the stock row, the campaign's cap and the customer's limit, INSERT order;
//   --Mode redis         what people build for 秒杀 instead: ASP.NET Core + StackExchange.Redis, one Lua script per order.
var builder = WebApplication.CreateSlimBuilder(args);
builder.Logging.SetMinimumLevel(LogLevel.Warning);
builder.Services.ConfigureHttpJsonOptions(o =>
{
    o.SerializerOptions.TypeInfoResolverChain.Insert(0, BaselineJson.Default);
    o.SerializerOptions.Converters.Add(new JsonStringEnumConverter());
});
var mode = builder.Configuration["Mode"] ?? "ceiling";
if (mode is not ("ceiling" or "ceiling-jwt" or "naive" or "redis"))
    throw new InvalidOperationException($"unknown --Mode {mode} (ceiling, ceiling-jwt, naive or redis)");

if (mode != "ceiling")
    builder.Services.AddBaselineAuth(builder.Configuration["Auth:SigningKey"] ?? throw new InvalidOperationException("Auth:SigningKey is required"));
if (mode == "naive")
    builder.Services.AddSingleton(_ => new NaiveStore(builder.Configuration.GetConnectionString("Naive")
        ?? throw new InvalidOperationException("ConnectionStrings:Naive is required")));
if (mode == "redis")
    builder.Services.AddSingleton(_ => new RedisStore(builder.Configuration.GetConnectionString("Redis")
        ?? throw new InvalidOperationException("ConnectionStrings:Redis is required")));

var app = builder.Build();
app.MapGet("/health", () => "ok");

if (mode != "ceiling")
{
    app.UseAuthentication();
    app.UseAuthorization();
}
if (mode == "naive")
{
    app.MapPost("/api/campaigns/{campaignId}/orders", (string campaignId, OrderRequest body, HttpContext http, NaiveStore store) =>
        PlaceAsync(http, body, (customerId, key) => store.PlaceAsync(campaignId, customerId, key, body.Quantity, http.RequestAborted)))
        .RequireAuthorization(BaselineAuth.CustomerPolicy);
    app.MapPost("/bench/setup", async (NaiveSetup setup, NaiveStore store) =>
    {
        await store.SetupAsync(setup);
        return Results.NoContent();
    });
    app.MapGet("/bench/audit", (NaiveStore store) => store.AuditAsync());
}
else if (mode == "redis")
{
    app.MapPost("/api/campaigns/{campaignId}/orders", (string campaignId, OrderRequest body, HttpContext http, RedisStore store) =>
        PlaceAsync(http, body, (customerId, key) => store.PlaceAsync(campaignId, customerId, key, body.Quantity)))
        .RequireAuthorization(BaselineAuth.CustomerPolicy);
    app.MapPost("/bench/setup", async (NaiveSetup setup, RedisStore store) =>
    {
        await store.SetupAsync(setup);
        return Results.NoContent();
    });
    app.MapGet("/bench/audit", (RedisStore store) => store.AuditAsync());
}
else
{
    // The ceiling: parse the same request, answer with a JSON body of the same shape; no storage (and, plain, no auth).
    var ceiling = app.MapPost("/api/campaigns/{campaignId}/orders", (string campaignId, OrderRequest body, HttpContext http) =>
        Results.Json(new OrderResponse("o-" + http.Request.Headers["Idempotency-Key"], "Allocated",
            [new AllocationDto("d-01", campaignId, body.Quantity)]), BaselineJson.Default.OrderResponse, statusCode: 201));
    if (mode == "ceiling-jwt") ceiling.RequireAuthorization(BaselineAuth.CustomerPolicy);
}

await app.RunAsync();

// The door every stored order goes through: the caller's customer id, an Idempotency-Key, a positive quantity.
static async Task<IResult> PlaceAsync(HttpContext http, OrderRequest body, Func<string, string, Task<NaiveResult>> place)
{
    var customerId = http.User.FindFirst("customer_id")?.Value;
    if (customerId is null) return Results.Forbid();
    if (http.Request.Headers["Idempotency-Key"].ToString() is not { Length: > 0 } key)
        return Results.Problem(statusCode: 400, detail: "the Idempotency-Key header is required", extensions: Code("idempotencyKeyRequired"));
    if (body.Quantity is < 1 or > 1000)
        return Results.Problem(statusCode: 400, detail: "quantity must be 1 to 1000", extensions: Code("invalidQuantity"));
    var result = await place(customerId, key);
    return result.Problem is { } problem
        ? Results.Problem(statusCode: result.Status, detail: problem, extensions: Code(problem))
        : Results.Json(result.Order, BaselineJson.Default.OrderResponse, statusCode: 201);
}

static Dictionary<string, object?> Code(string code) => new() { ["code"] = code };

namespace Routing.Bench.Baselines
{
    public sealed record OrderRequest(int Quantity);
    public sealed record AllocationDto(string DistributorId, string Sku, int Quantity);
    public sealed record OrderResponse(string OrderId, string Status, IReadOnlyList<AllocationDto> Allocations);

    [JsonSerializable(typeof(OrderRequest))]
    [JsonSerializable(typeof(OrderResponse))]
    [JsonSerializable(typeof(NaiveSetup))]
    [JsonSerializable(typeof(NaiveAudit))]
    [JsonSerializable(typeof(Microsoft.AspNetCore.Mvc.ProblemDetails))]
    [JsonSourceGenerationOptions(System.Text.Json.JsonSerializerDefaults.Web)]
    internal sealed partial class BaselineJson : JsonSerializerContext;
}
