using System.Text;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.IdentityModel.Tokens;
using Routing.Bench.Baselines;

// Baselines of the load benchmark, on the same machine and the same order route as the engine:
//   --Mode ceiling   a trivial JSON POST endpoint: what the HTTP stack alone can do here;
//   --Mode naive     what people build instead: ASP.NET Core + Npgsql, one transaction per order with
//                    SELECT … FOR UPDATE on the stock row, the campaign's cap and the customer's limit, INSERT order.
var builder = WebApplication.CreateSlimBuilder(args);
builder.Logging.SetMinimumLevel(LogLevel.Warning);
builder.Services.ConfigureHttpJsonOptions(o =>
{
    o.SerializerOptions.TypeInfoResolverChain.Insert(0, BaselineJson.Default);
    o.SerializerOptions.Converters.Add(new JsonStringEnumConverter());
});
var mode = builder.Configuration["Mode"] ?? "ceiling";

if (mode == "naive")
{
    var key = builder.Configuration["Auth:SigningKey"] ?? throw new InvalidOperationException("Auth:SigningKey is required");
    builder.Services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme).AddJwtBearer(o =>
    {
        o.MapInboundClaims = false;
        o.TokenValidationParameters = new TokenValidationParameters
        {
            ValidIssuer = "routing",
            ValidAudience = "routing-api",
            IssuerSigningKey = new SymmetricSecurityKey(Encoding.UTF8.GetBytes(key)),
            ValidAlgorithms = [SecurityAlgorithms.HmacSha256],
            RoleClaimType = "role",
        };
    });
    builder.Services.AddAuthorization();
    builder.Services.AddSingleton(_ => new NaiveStore(builder.Configuration.GetConnectionString("Naive")
        ?? throw new InvalidOperationException("ConnectionStrings:Naive is required")));
}

var app = builder.Build();
app.MapGet("/health", () => "ok");

if (mode == "naive")
{
    app.UseAuthentication();
    app.UseAuthorization();
    app.MapPost("/api/campaigns/{campaignId}/orders", async (string campaignId, OrderRequest body, HttpContext http, NaiveStore store) =>
    {
        var customerId = http.User.FindFirst("customer_id")?.Value;
        if (customerId is null) return Results.Forbid();
        if (http.Request.Headers["Idempotency-Key"].ToString() is not { Length: > 0 } key)
            return Results.Problem(statusCode: 400, detail: "the Idempotency-Key header is required", extensions: Code("idempotencyKeyRequired"));
        var result = await store.PlaceAsync(campaignId, customerId, key, body.Quantity, http.RequestAborted);
        return result.Problem is { } problem
            ? Results.Problem(statusCode: result.Status, detail: problem, extensions: Code(problem))
            : Results.Json(result.Order, BaselineJson.Default.OrderResponse, statusCode: 201);
    }).RequireAuthorization(p => p.RequireRole("customer").RequireClaim("customer_id"));
    app.MapPost("/bench/setup", async (NaiveSetup setup, NaiveStore store) =>
    {
        await store.SetupAsync(setup);
        return Results.NoContent();
    });
    app.MapGet("/bench/audit", (NaiveStore store) => store.AuditAsync());
}
else
{
    // The ceiling: parse the same request, answer with a JSON body of the same shape; no auth, no storage.
    app.MapPost("/api/campaigns/{campaignId}/orders", (string campaignId, OrderRequest body, HttpContext http) =>
        Results.Json(new OrderResponse("o-" + http.Request.Headers["Idempotency-Key"], "Allocated",
            [new AllocationDto("d-01", campaignId, body.Quantity)]), BaselineJson.Default.OrderResponse, statusCode: 201));
}

await app.RunAsync();

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
