using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace Routing.SapSim;

/// <summary>A row the API did not apply: its number, a code and the detail.</summary>
public sealed record ImportRejection(int Row, string Code, string Detail);

/// <summary>An import's progress as <c>GET /api/erp/imports/{id}</c> answers it.</summary>
public sealed record ImportView(string ImportId, string Kind, string Status, int Total, int Applied, int Unchanged, int RejectedCount,
    IReadOnlyList<ImportRejection> Rejected, DateTimeOffset? CompletedAt, string? Failure);

/// <summary>One SKU where SAP and Routing differed, as the reconciliation reports it.</summary>
public sealed record SnapshotDifference(string DistributorId, string Sku, int Ours, int Sap, int Difference, int Applied, bool Shortfall,
    IReadOnlyList<string> OrdersAtRisk);

/// <summary>A stock snapshot's reconciliation as <c>GET /api/erp/stock-snapshots/{id}</c> answers it.</summary>
public sealed record SnapshotView(string SnapshotId, DateTimeOffset AsOf, int Tolerance, string Status, int Rows, int Processed, int Matched,
    IReadOnlyList<SnapshotDifference> Differences, DateTimeOffset? CompletedAt);

/// <summary>SAP's on hand of one SKU at one distributor.</summary>
public sealed record SnapshotRow(string DistributorId, string Sku, int OnHand);

/// <summary>A stock level row of an import (the body of <c>PUT /api/distributors/{id}/inventory/{sku}</c> with its path values).</summary>
public sealed record StockLevel(string DistributorId, string Sku, int OnHand, int Threshold);

/// <summary>One page of the ERP event feed: the events (each kept as the API sent it) and the cursor to ask after next.</summary>
public sealed record FeedPage(IReadOnlyList<JsonElement> Events, string? Next);

/// <summary>A refusal from the API: its status, problem code and detail.</summary>
public sealed class ApiException(string request, HttpStatusCode status, string? code, string? detail)
    : Exception($"{request}: {(int)status} {code ?? status.ToString()}{(detail is null ? "" : $": {detail}")}")
{
    public HttpStatusCode Status { get; } = status;
    public string? Code { get; } = code;
}

/// <summary>The ERP surface of the Routing API, as SAP's integration calls it: imports, stock snapshots, the event feed,
/// and the one read the demo needs (an allocated order: where stock is reserved).</summary>
public sealed class ErpClient(HttpClient http)
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static HttpClient CreateHttp(Uri baseUrl, string token, HttpMessageHandler? handler = null)
    {
        // Imports of 100,000 rows and snapshots of as many are single requests: no client-side timeout cuts them short.
        var http = handler is null ? new HttpClient() : new HttpClient(handler);
        http.BaseAddress = baseUrl;
        http.Timeout = TimeSpan.FromMinutes(30);
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return http;
    }

    /// <summary>Sends an import (<paramref name="mediaType"/> <c>text/csv</c> or <c>application/json</c>) and answers the
    /// import as it ended; while the request runs, <paramref name="progress"/> gets the import's progress as it changes.</summary>
    public async Task<ImportView> ImportAsync(string kind, string batchId, string body, string mediaType, Action<ImportView>? progress,
        TimeSpan pollEvery, CancellationToken ct)
    {
        var path = $"/api/erp/imports?kind={Uri.EscapeDataString(kind)}&batchId={Uri.EscapeDataString(batchId)}";
        using var content = new StringContent(body, Encoding.UTF8, mediaType);
        var send = http.PostAsync(path, content, ct);
        (string, int, int, int, int)? last = null;
        while (await Task.WhenAny(send, Task.Delay(pollEvery, ct)) != send)
        {
            // Not there yet (the first chunk is not in), or not moved on since the last look: nothing to tell.
            if (await FindImportAsync(batchId, ct) is not { } now) continue;
            var seen = (now.Status, now.Total, now.Applied, now.Unchanged, now.RejectedCount);
            if (seen == last) continue;
            progress?.Invoke(now);
            last = seen;
        }
        using var response = await send;
        return await ReadAsync<ImportView>(response, $"POST {path}", HttpStatusCode.Accepted, ct);
    }

    public async Task<ImportView?> FindImportAsync(string batchId, CancellationToken ct)
    {
        var path = $"/api/erp/imports/{Uri.EscapeDataString(batchId)}";
        using var response = await http.GetAsync(path, ct);
        return response.StatusCode == HttpStatusCode.NotFound ? null : await ReadAsync<ImportView>(response, $"GET {path}", HttpStatusCode.OK, ct);
    }

    /// <summary>Sends a snapshot (answered 202 at once, reconciled in the background).</summary>
    public async Task<SnapshotView> SendSnapshotAsync(string snapshotId, DateTimeOffset asOf, int tolerance, IReadOnlyList<SnapshotRow> rows,
        CancellationToken ct)
    {
        const string path = "/api/erp/stock-snapshots";
        using var response = await http.PostAsJsonAsync(path, new { snapshotId, asOf, tolerance, rows }, Json, ct);
        return await ReadAsync<SnapshotView>(response, $"POST {path}", HttpStatusCode.Accepted, ct);
    }

    public async Task<SnapshotView> GetSnapshotAsync(string snapshotId, CancellationToken ct)
    {
        var path = $"/api/erp/stock-snapshots/{Uri.EscapeDataString(snapshotId)}";
        using var response = await http.GetAsync(path, ct);
        return await ReadAsync<SnapshotView>(response, $"GET {path}", HttpStatusCode.OK, ct);
    }

    /// <summary>Polls the snapshot until it is Completed, telling <paramref name="progress"/> each time it moved on.</summary>
    public async Task<SnapshotView> WaitCompletedAsync(string snapshotId, Action<SnapshotView>? progress, TimeSpan pollEvery, CancellationToken ct)
    {
        var lastProcessed = -1;
        while (true)
        {
            var view = await GetSnapshotAsync(snapshotId, ct);
            if (view.Status == "Completed") return view;
            if (view.Processed != lastProcessed) progress?.Invoke(view);
            lastProcessed = view.Processed;
            await Task.Delay(pollEvery, ct);
        }
    }

    /// <summary>One page of the feed after <paramref name="after"/> (from the start when null); null when this API has no
    /// feed (404 on the route).</summary>
    public async Task<FeedPage?> EventsAsync(string? after, int limit, CancellationToken ct)
    {
        var path = $"/api/erp/events?limit={limit}" + (after is null ? "" : $"&after={Uri.EscapeDataString(after)}");
        using var response = await http.GetAsync(path, ct);
        if (response.StatusCode == HttpStatusCode.NotFound) return null;
        using var doc = JsonDocument.Parse(await ReadBodyAsync(response, $"GET {path}", HttpStatusCode.OK, ct));
        var events = doc.RootElement.TryGetProperty("events", out var list) && list.ValueKind == JsonValueKind.Array
            ? list.EnumerateArray().Select(e => e.Clone()).ToList()
            : [];
        var next = doc.RootElement.TryGetProperty("next", out var n) && n.ValueKind == JsonValueKind.String ? n.GetString() : null;
        return new FeedPage(events, next);
    }

    /// <summary>The newest allocated order (its reservations are held) and its allocations, or null when there is none.
    /// The ERP sees every order.</summary>
    public async Task<(string OrderId, IReadOnlyList<(string DistributorId, string Sku, int Quantity)> Allocations)?> NewestAllocatedOrderAsync(
        CancellationToken ct)
    {
        const string path = "/api/orders?status=Allocated&pageSize=1";
        using var response = await http.GetAsync(path, ct);
        using var doc = JsonDocument.Parse(await ReadBodyAsync(response, $"GET {path}", HttpStatusCode.OK, ct));
        if (doc.RootElement.GetArrayLength() == 0) return null;
        var order = doc.RootElement[0];
        return (order.GetProperty("orderId").GetString()!, [.. order.GetProperty("allocations").EnumerateArray()
            .Select(a => (a.GetProperty("distributorId").GetString()!, a.GetProperty("sku").GetString()!, a.GetProperty("quantity").GetInt32()))]);
    }

    private static async Task<T> ReadAsync<T>(HttpResponseMessage response, string request, HttpStatusCode expected, CancellationToken ct) =>
        JsonSerializer.Deserialize<T>(await ReadBodyAsync(response, request, expected, ct), Json)
        ?? throw new ApiException(request, response.StatusCode, "emptyBody", "the answer had no body");

    private static async Task<string> ReadBodyAsync(HttpResponseMessage response, string request, HttpStatusCode expected, CancellationToken ct)
    {
        var body = await response.Content.ReadAsStringAsync(ct);
        if (response.StatusCode == expected) return body;
        string? code = null, detail = body.Length > 300 ? body[..300] : body;
        try
        {
            using var problem = JsonDocument.Parse(body);
            if (problem.RootElement.ValueKind == JsonValueKind.Object)
            {
                if (problem.RootElement.TryGetProperty("code", out var c)) code = c.GetString();
                if (problem.RootElement.TryGetProperty("detail", out var d)) detail = d.GetString();
                else if (problem.RootElement.TryGetProperty("title", out var t)) detail = t.GetString();
            }
        }
        catch (JsonException) { }
        throw new ApiException(request, response.StatusCode, code, string.IsNullOrEmpty(detail) ? null : detail);
    }
}
