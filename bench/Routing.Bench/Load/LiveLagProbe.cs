using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR.Client;
using Routing.Contracts.Events;

namespace Routing.Bench.Load;

/// <summary>Live-event lag as operations staff see it: from an order's 201 at the customer to its <c>orderAllocated</c>
/// arriving at an ops client on <c>/hubs/ops</c>. Every hub event carries an array of payloads.</summary>
public sealed record LiveLag(long Acknowledged, long Seen, long Missing, LatencySummary Lag);

/// <summary>An ops SignalR client that timestamps every <c>orderAllocated</c> it receives, by order id.</summary>
public sealed class LiveLagProbe : IAsyncDisposable
{
    private readonly HubConnection _connection;
    private readonly ConcurrentDictionary<string, long> _seen = new();

    private LiveLagProbe(HubConnection connection)
    {
        _connection = connection;
        connection.On<JsonElement>(EventNames.OrderAllocated, batch =>
        {
            var at = Stopwatch.GetTimestamp();
            foreach (var e in batch.EnumerateArray())
                if (e.TryGetProperty("orderId", out var id) && id.GetString() is { } orderId) _seen.TryAdd(orderId, at);
        });
    }

    public static async Task<LiveLagProbe> ConnectAsync(Uri baseUrl, string opsToken, CancellationToken ct)
    {
        var connection = new HubConnectionBuilder()
            .WithUrl(new Uri(baseUrl, "/hubs/ops"), o =>
            {
                o.AccessTokenProvider = () => Task.FromResult<string?>(opsToken);
                o.Transports = HttpTransportType.WebSockets;
                o.SkipNegotiation = true;
            })
            .Build();
        var probe = new LiveLagProbe(connection);
        await connection.StartAsync(ct);
        return probe;
    }

    /// <summary>Waits (bounded) for the events of the acknowledged orders, then measures their lag.</summary>
    public async Task<LiveLag> MeasureAsync(IReadOnlyDictionary<string, long> acks, TimeSpan grace)
    {
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < grace && acks.Keys.Any(k => !_seen.ContainsKey(k))) await Task.Delay(100);
        var lags = new List<long>(acks.Count);
        long missing = 0;
        foreach (var (orderId, ackedAt) in acks)
        {
            if (_seen.TryGetValue(orderId, out var seenAt)) lags.Add(Math.Max(0, seenAt - ackedAt));
            else missing++;
        }
        return new LiveLag(acks.Count, lags.Count, missing, LatencySummary.Of(lags.ToArray()));
    }

    public ValueTask DisposeAsync() => _connection.DisposeAsync();
}
