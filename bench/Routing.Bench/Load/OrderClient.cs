using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Routing.Bench.Scenarios;
using Routing.Contracts.Orders;

namespace Routing.Bench.Load;

/// <summary>What one order attempt came to.</summary>
public readonly record struct OrderOutcome(bool Allocated, string? ErrorKind, int Units);

/// <summary>Places campaign orders the way a grower's app does: <c>POST /api/campaigns/{id}/orders</c> with the
/// customer's bearer token and an <c>Idempotency-Key</c>. Every target serves this same route, so the comparison is
/// like for like. Request bodies and tokens are made once; the driver should cost the machine as little as it can.</summary>
public sealed class OrderClient(HttpClient http, ScenarioData data, string signingKey)
{
    private static readonly MediaTypeHeaderValue Json = new("application/json");
    private static readonly byte[] AllocatedMarker = Encoding.UTF8.GetBytes("\"status\":\"Allocated\"");

    private readonly AuthenticationHeaderValue?[] _tokens = new AuthenticationHeaderValue?[data.Customers.Count];
    private readonly byte[][] _bodies = [.. Enumerable.Range(0, data.Spec.MaxQuantity + 1).Select(q => Encoding.UTF8.GetBytes($"{{\"quantity\":{q}}}"))];
    private readonly string[] _paths = [.. data.Campaigns.Select(c => $"/api/campaigns/{c.Id}/orders")];

    /// <summary>The first response body seen for each kind of error, to say why in the run's log.</summary>
    public ConcurrentDictionary<string, string> Examples { get; } = new();

    /// <summary>When set, each allocated order's acknowledgement time is recorded by order id (for the live-event lag).</summary>
    public ConcurrentDictionary<string, long>? Acks { get; set; }

    public async Task<OrderOutcome> PlaceAsync(int customer, int campaign, int quantity, string key, CancellationToken ct)
    {
        var customerId = data.Customers[customer].Id;
        using var request = new HttpRequestMessage(HttpMethod.Post, _paths[campaign]);
        request.Headers.Authorization = _tokens[customer] ??= new AuthenticationHeaderValue("Bearer", Jwt.Issue(signingKey, "customer", customerId));
        request.Headers.TryAddWithoutValidation("Idempotency-Key", key);
        request.Content = new ByteArrayContent(_bodies[quantity]) { Headers = { ContentType = Json } };
        try
        {
            using var response = await http.SendAsync(request, ct);
            var body = await response.Content.ReadAsByteArrayAsync(ct);
            if (response.StatusCode == HttpStatusCode.Created)
            {
                if (body.AsSpan().IndexOf(AllocatedMarker) < 0) return Error("201 not allocated", body);
                Acks?.TryAdd(OrderIds.For(customerId, key), Stopwatch.GetTimestamp());
                return new(true, null, quantity);
            }
            return Error($"{(int)response.StatusCode} {ProblemCode(body)}".TrimEnd(), body);
        }
        catch (TaskCanceledException) when (!ct.IsCancellationRequested) { return new(false, "timeout", 0); }
        catch (HttpRequestException e) { return new(false, $"connection ({e.HttpRequestError})", 0); }
    }

    private OrderOutcome Error(string kind, byte[] body)
    {
        if (!Examples.ContainsKey(kind)) Examples.TryAdd(kind, Encoding.UTF8.GetString(body, 0, Math.Min(body.Length, 600)));
        return new(false, kind, 0);
    }

    private static string ProblemCode(byte[] body)
    {
        try
        {
            using var doc = JsonDocument.Parse(body);
            return doc.RootElement.TryGetProperty("code", out var code) ? code.GetString() ?? "" : "";
        }
        catch (JsonException) { return ""; }
    }
}
