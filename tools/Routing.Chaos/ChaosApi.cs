using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Routing.Bench;

namespace Routing.Chaos;

/// <summary>What one placement attempt came to. <see cref="Ambiguous"/>: the client cannot know whether it was placed
/// (timeout, connection reset, 5xx) or was told nothing was applied and to retry (429, 409 writeConflict).</summary>
public sealed record PlaceAnswer(bool Ambiguous, int Status, string? Code, PlacedOrder? Order);

/// <summary>An order as a 201 acknowledged it: its units, and where they were allocated.</summary>
public sealed record PlacedOrder(string OrderId, string Status, int Units, IReadOnlyList<(string DistributorId, int Quantity)> Allocations);

/// <summary>A distributor's stock of the campaign's SKU and its open reservations (order id → units).</summary>
public sealed record DistributorState(string Id, int OnHand, int Reserved, IReadOnlyDictionary<string, int> Reservations);

/// <summary>The engine's public REST API as the chaos driver uses it: ops to set up and audit, customers to buy.</summary>
public sealed class ChaosApi(HttpClient http, string signingKey)
{
    private static readonly JsonSerializerOptions Web = new(JsonSerializerDefaults.Web);
    private static readonly MediaTypeHeaderValue Json = new("application/json");
    private readonly ConcurrentDictionary<string, AuthenticationHeaderValue> _tokens = new();

    private AuthenticationHeaderValue Token(string role, string? customerId = null) =>
        _tokens.GetOrAdd(customerId ?? role, _ => new AuthenticationHeaderValue("Bearer", Jwt.Issue(signingKey, role, customerId, TimeSpan.FromHours(2))));

    public async Task SendAsOpsAsync(HttpMethod method, string path, object body, CancellationToken ct)
    {
        // Set-up calls may meet a cluster still settling; they are idempotent (create-or-update), so retry a few times.
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                using var request = new HttpRequestMessage(method, path) { Content = JsonContent.Create(body, options: Web) };
                request.Headers.Authorization = Token("ops");
                using var response = await http.SendAsync(request, ct);
                if (response.IsSuccessStatusCode) return;
                var text = await response.Content.ReadAsStringAsync(ct);
                if ((int)response.StatusCode < 500 || attempt == 5) throw new InvalidOperationException($"{method} {path}: {(int)response.StatusCode} {text}");
            }
            catch (HttpRequestException) when (attempt < 5) { }
            catch (TaskCanceledException) when (attempt < 5 && !ct.IsCancellationRequested) { }
            await Task.Delay(500 * attempt, ct);
        }
    }

    public async Task<JsonElement?> GetAsOpsAsync(string path, CancellationToken ct)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                using var request = new HttpRequestMessage(HttpMethod.Get, path);
                request.Headers.Authorization = Token("ops");
                using var response = await http.SendAsync(request, ct);
                if (response.StatusCode == HttpStatusCode.NotFound) return null;
                var text = await response.Content.ReadAsStringAsync(ct);
                if (response.IsSuccessStatusCode) return JsonDocument.Parse(text).RootElement.Clone();
                if ((int)response.StatusCode < 500 || attempt == 5) throw new InvalidOperationException($"GET {path}: {(int)response.StatusCode} {text}");
            }
            catch (HttpRequestException) when (attempt < 5) { }
            catch (TaskCanceledException) when (attempt < 5 && !ct.IsCancellationRequested) { }
            await Task.Delay(500 * attempt, ct);
        }
    }

    /// <summary>The campaign's own figures: (sold, cap).</summary>
    public async Task<(int Sold, int Cap)> CampaignAsync(string id, CancellationToken ct)
    {
        var c = await GetAsOpsAsync($"/api/campaigns/{id}", ct) ?? throw new InvalidOperationException($"campaign {id} is gone");
        return (c.GetProperty("sold").GetInt32(), c.GetProperty("cap").GetInt32());
    }

    public async Task<DistributorState> DistributorAsync(string id, string sku, CancellationToken ct)
    {
        var inventory = await GetAsOpsAsync($"/api/distributors/{id}/inventory", ct) ?? throw new InvalidOperationException($"distributor {id} is gone");
        var item = inventory.EnumerateArray().Single(i => i.GetProperty("sku").GetString() == sku);
        var reservations = new Dictionary<string, int>();
        for (var page = 1; ; page++)
        {
            var list = await GetAsOpsAsync($"/api/distributors/{id}/reservations?page={page}&pageSize=500", ct);
            if (list is not { } items || items.GetArrayLength() == 0) break;
            foreach (var r in items.EnumerateArray())
                reservations[r.GetProperty("orderId").GetString()!] =
                    r.GetProperty("lines").EnumerateArray().Where(l => l.GetProperty("sku").GetString() == sku).Sum(l => l.GetProperty("quantity").GetInt32());
        }
        return new DistributorState(id, item.GetProperty("onHand").GetInt32(), item.GetProperty("reserved").GetInt32(), reservations);
    }

    /// <summary>The order as ops read it now (null when it does not exist).</summary>
    public async Task<PlacedOrder?> OrderAsync(string orderId, CancellationToken ct) =>
        await GetAsOpsAsync($"/api/orders/{orderId}", ct) is { } order ? Read(order) : null;

    /// <summary>One attempt at <c>POST /api/campaigns/{id}/orders</c> as the customer, with its Idempotency-Key.</summary>
    public async Task<PlaceAnswer> PlaceAsync(string campaignId, string customerId, int quantity, string key, TimeSpan timeout, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/campaigns/{campaignId}/orders")
        {
            Content = new ByteArrayContent(Encoding.UTF8.GetBytes($"{{\"quantity\":{quantity}}}")) { Headers = { ContentType = Json } },
        };
        request.Headers.Authorization = Token("customer", customerId);
        request.Headers.TryAddWithoutValidation("Idempotency-Key", key);
        using var attempt = CancellationTokenSource.CreateLinkedTokenSource(ct);
        attempt.CancelAfter(timeout);
        try
        {
            using var response = await http.SendAsync(request, attempt.Token);
            var text = await response.Content.ReadAsStringAsync(attempt.Token);
            var status = (int)response.StatusCode;
            if (status == 201) return new PlaceAnswer(false, status, null, Read(JsonDocument.Parse(text).RootElement));
            var code = ProblemCode(text);
            var ambiguous = status >= 500 || status == 429 || (status == 409 && code == "writeConflict");
            return new PlaceAnswer(ambiguous, status, code, null);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested) { return new PlaceAnswer(true, 0, "timeout", null); }
        catch (HttpRequestException e) { return new PlaceAnswer(true, 0, $"connection ({e.HttpRequestError})", null); }
    }

    private static PlacedOrder Read(JsonElement order)
    {
        var allocations = order.GetProperty("allocations").EnumerateArray()
            .Select(a => (a.GetProperty("distributorId").GetString()!, a.GetProperty("quantity").GetInt32())).ToList();
        return new PlacedOrder(order.GetProperty("orderId").GetString()!, order.GetProperty("status").GetString()!,
            order.GetProperty("lines").EnumerateArray().Sum(l => l.GetProperty("quantity").GetInt32()), allocations);
    }

    private static string? ProblemCode(string body)
    {
        try
        {
            using var doc = JsonDocument.Parse(body);
            return doc.RootElement.TryGetProperty("code", out var code) ? code.GetString() : null;
        }
        catch (JsonException) { return null; }
    }
}
