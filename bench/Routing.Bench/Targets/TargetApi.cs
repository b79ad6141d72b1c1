using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Routing.Bench.Scenarios;

namespace Routing.Bench.Targets;

/// <summary>Stock and campaign totals after a run. Oversold units must be zero; units acknowledged to customers but
/// not reserved at any distributor (lost orders) must be zero too.</summary>
public sealed record AuditResult(bool Audited, long OversoldUnits, long ReservedUnits, long CampaignSold, long Rows, string? Note)
{
    public static AuditResult NotApplicable(string why) => new(false, 0, 0, 0, 0, why);
}

/// <summary>Sets a scenario up on a target and audits it afterwards, each in the target's own terms: the engine through
/// its public REST API (as ops), the naive baseline and the Redis peer through their /bench endpoints; the ceilings have
/// nothing to set up.</summary>
public sealed class TargetApi(HttpClient http, TargetKind kind, string signingKey)
{
    private const int SetupParallelism = 16;

    public async Task SetupAsync(ScenarioData data, CancellationToken ct)
    {
        switch (kind)
        {
            case TargetKind.Ceiling:
                return;
            case TargetKind.Baseline:
                var setup = new
                {
                    campaigns = data.Campaigns.Select(c => new { c.Id, c.Sku, Cap = data.CampaignCap, data.Spec.PerCustomerLimit }),
                    stock = data.Distributors.SelectMany(d => data.Skus.Select(sku => new { DistributorId = d.Id, Sku = sku, OnHand = data.Spec.StockPerSku })),
                    customers = data.Customers.Select(c => new { c.Id, c.HomeDistributorId }),
                };
                (await http.PostAsJsonAsync("/bench/setup", setup, ct)).EnsureSuccessStatusCode();
                return;
            default:
                await SetupEngineAsync(data, ct);
                return;
        }
    }

    private async Task SetupEngineAsync(ScenarioData data, CancellationToken ct)
    {
        var now = DateTimeOffset.UtcNow;
        await Each(data.Skus, sku => Send(HttpMethod.Post, "/api/products", new { sku, name = sku, unit = "bag", substitutes = Array.Empty<string>() }, ct), ct);
        await Each(data.Distributors, d => Send(HttpMethod.Post, "/api/distributors", new
        {
            d.Id, name = d.Id, regions = new[] { d.Region }, location = new { lat = d.Lat, lon = d.Lon }, d.Priority, dailyCapacity = 100_000_000,
        }, ct), ct);
        await Each(data.Distributors.SelectMany(d => data.Skus.Select(sku => (d, sku))), x =>
            Send(HttpMethod.Put, $"/api/distributors/{x.d.Id}/inventory/{x.sku}", new { onHand = data.Spec.StockPerSku, threshold = 100 }, ct), ct);
        await Each(data.Customers, c => Send(HttpMethod.Post, "/api/customers", new
        {
            c.Id, name = c.Id, c.Region, location = new { lat = c.Lat, lon = c.Lon }, c.HomeDistributorId,
        }, ct), ct);
        await Each(data.Campaigns, c => Send(HttpMethod.Post, "/api/campaigns", new
        {
            c.Id, c.Sku, price = 100.0, startsAt = now.AddHours(-1), endsAt = now.AddDays(1), cap = data.CampaignCap,
            data.Spec.PerCustomerLimit, minUnits = 0,
        }, ct), ct);
    }

    public async Task<AuditResult> AuditAsync(ScenarioData data, CancellationToken ct)
    {
        switch (kind)
        {
            case TargetKind.Ceiling:
                return AuditResult.NotApplicable("nothing is stored");
            case TargetKind.Baseline:
            {
                using var doc = JsonDocument.Parse(await http.GetStringAsync("/bench/audit", ct));
                long oversold = 0, reserved = 0, sold = 0, rows = 0;
                foreach (var s in doc.RootElement.GetProperty("stock").EnumerateArray())
                {
                    var (onHand, r) = (s.GetProperty("onHand").GetInt64(), s.GetProperty("reserved").GetInt64());
                    oversold += Math.Max(0, r - onHand);
                    reserved += r;
                    rows++;
                }
                foreach (var c in doc.RootElement.GetProperty("campaigns").EnumerateArray())
                {
                    oversold += Math.Max(0, c.GetProperty("sold").GetInt64() - c.GetProperty("cap").GetInt64());
                    sold += c.GetProperty("sold").GetInt64();
                }
                return new AuditResult(true, oversold, reserved, sold, rows, null);
            }
            default:
            {
                long oversold = 0, reserved = 0, sold = 0, rows = 0;
                var skus = data.Skus.ToHashSet();
                foreach (var d in data.Distributors)
                {
                    using var doc = JsonDocument.Parse(await Get($"/api/distributors/{d.Id}/inventory", ct));
                    foreach (var item in doc.RootElement.EnumerateArray())
                    {
                        if (!skus.Contains(item.GetProperty("sku").GetString()!)) continue;
                        var (onHand, r) = (item.GetProperty("onHand").GetInt64(), item.GetProperty("reserved").GetInt64());
                        oversold += Math.Max(0, r - onHand);
                        reserved += r;
                        rows++;
                    }
                }
                foreach (var c in data.Campaigns)
                {
                    using var doc = JsonDocument.Parse(await Get($"/api/campaigns/{c.Id}", ct));
                    var s = doc.RootElement.GetProperty("sold").GetInt64();
                    oversold += Math.Max(0, s - doc.RootElement.GetProperty("cap").GetInt64());
                    sold += s;
                }
                return new AuditResult(true, oversold, reserved, sold, rows, null);
            }
        }
    }

    private string OpsToken => field ??= Jwt.Issue(signingKey, "ops");

    private async Task<string> Get(string path, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", OpsToken);
        using var response = await http.SendAsync(request, ct);
        var body = await response.Content.ReadAsStringAsync(ct);
        if (!response.IsSuccessStatusCode) throw new InvalidOperationException($"GET {path}: {(int)response.StatusCode} {body}");
        return body;
    }

    private async Task Send(HttpMethod method, string path, object body, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(method, path) { Content = JsonContent.Create(body, options: WebJson) };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", OpsToken);
        using var response = await http.SendAsync(request, ct);
        if (!response.IsSuccessStatusCode)
            throw new InvalidOperationException($"{method} {path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync(ct)}");
    }

    private static readonly JsonSerializerOptions WebJson = new(JsonSerializerDefaults.Web);

    private static Task Each<T>(IEnumerable<T> items, Func<T, Task> action, CancellationToken ct) =>
        Parallel.ForEachAsync(items, new ParallelOptions { MaxDegreeOfParallelism = SetupParallelism, CancellationToken = ct },
            async (item, _) => await action(item));
}
