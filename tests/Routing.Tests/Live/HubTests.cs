using System.Collections.Concurrent;
using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR.Client;
using Routing.Api.Auth;
using Routing.Contracts.Events;
using Routing.Tests.Api;

namespace Routing.Tests.Live;

/// <summary>The SignalR hubs on the real host, with the real .NET SignalR client.</summary>
[Collection(ApiCollection.Name)]
public sealed class HubTests(ApiFactory api)
{
    [Fact]
    public async Task Ops_hub_receives_allocations_and_campaign_progress_after_an_order()
    {
        var world = await World.CreateAsync(api);
        await using var ops = await LiveClient.ConnectAsync(api, "/hubs/ops", api.OpsToken);

        var order = (await world.OrderAsync(world.CustomerX, 3)).Expect(HttpStatusCode.Created);
        var orderId = (string)order["orderId"]!;

        await ops.WaitForAsync(EventNames.OrderAllocated, e => e.GetProperty("orderId").GetString() == orderId);
        await ops.WaitForAsync(EventNames.CampaignProgress, e => e.GetProperty("campaignId").GetString() == world.Campaign
                                                               && e.GetProperty("sold").GetInt32() == 3);
        await ops.WaitForAsync(EventNames.InventoryChanged, e => e.GetProperty("sku").GetString() == world.Sku
                                                               && e.GetProperty("reserved").GetInt32() == 3);
    }

    [Fact]
    public async Task A_distributor_hears_its_own_alerts_and_stock_but_never_another_distributors()
    {
        var world = await World.CreateAsync(api);
        await using var ops = await LiveClient.ConnectAsync(api, "/hubs/ops", api.OpsToken);
        await using var a = await LiveClient.ConnectAsync(api, "/hubs/distributor", api.Token(Roles.Distributor, distributorId: world.DistributorA));
        await using var b = await LiveClient.ConnectAsync(api, "/hubs/distributor", api.Token(Roles.Distributor, distributorId: world.DistributorB));

        // Both fall below their threshold: each raises a low-stock alert.
        await world.SetStockAsync(world.DistributorB, onHand: 5, threshold: 10);
        await world.SetStockAsync(world.DistributorA, onHand: 5, threshold: 10);
        (await world.OrderAsync(world.CustomerY, 1)).Expect(HttpStatusCode.Created);

        await a.WaitForAsync(EventNames.AlertRaised, e => e.GetProperty("alert").GetProperty("distributorId").GetString() == world.DistributorA);
        await b.WaitForAsync(EventNames.AlertRaised, e => e.GetProperty("alert").GetProperty("distributorId").GetString() == world.DistributorB);
        await b.WaitForAsync(EventNames.OrderAllocated, e => e.GetProperty("allocations")[0].GetProperty("distributorId").GetString() == world.DistributorB);
        // The campaign's progress (for ops only) is announced when the quota holder reports: now, not on its timer.
        await world.SettleQuotaAsync();
        await ops.WaitForAsync(EventNames.CampaignProgress, e => e.GetProperty("campaignId").GetString() == world.Campaign
                                                               && e.GetProperty("sold").GetInt32() >= 1);
        // A last change of each distributor's own stock goes out behind every event above: once each has heard its own,
        // an event wrongly sent to it before has arrived too.
        await world.SetStockAsync(world.DistributorA, onHand: 7, threshold: 10);
        await world.SetStockAsync(world.DistributorB, onHand: 7, threshold: 10);
        await a.WaitForAsync(EventNames.InventoryChanged, e => e.GetProperty("available").GetInt32() == 7);
        await b.WaitForAsync(EventNames.InventoryChanged, e => e.GetProperty("available").GetInt32() == 6);

        Assert.All(a.Received, r => Assert.DoesNotContain(world.DistributorB, r.Payload.GetRawText()));
        Assert.All(b.Received, r => Assert.DoesNotContain(world.DistributorA, r.Payload.GetRawText()));
        Assert.DoesNotContain(a.Received, r => r.Name == EventNames.CampaignProgress);
    }

    [Fact]
    public async Task Both_sides_of_a_transfer_hear_each_step_and_no_other_distributor_does()
    {
        var world = await World.CreateAsync(api, stockA: 30, stockB: 30);
        var other = $"d-{world.Tag}-c";
        (await world.Ops.PostJsonAsync("/api/distributors", World.DistributorBody(other, 30.6, 114.3, 3))).Expect(HttpStatusCode.Created);
        await world.SetStockAsync(other, onHand: 5, threshold: 0);
        await using var ops = await LiveClient.ConnectAsync(api, "/hubs/ops", api.OpsToken);
        await using var a = await LiveClient.ConnectAsync(api, "/hubs/distributor", api.Token(Roles.Distributor, distributorId: world.DistributorA));
        await using var b = await LiveClient.ConnectAsync(api, "/hubs/distributor", api.Token(Roles.Distributor, distributorId: world.DistributorB));
        await using var c = await LiveClient.ConnectAsync(api, "/hubs/distributor", api.Token(Roles.Distributor, distributorId: other));

        var id = (string)(await world.Ops.PostJsonAsync("/api/transfers",
            new { fromDistributorId = world.DistributorA, toDistributorId = world.DistributorB, sku = world.Sku, quantity = 8 }, Guid.NewGuid().ToString()))
            .Expect(HttpStatusCode.Created)["transferId"]!;
        (await world.Ops.PostJsonAsync($"/api/transfers/{id}/dispatch", null)).Expect(HttpStatusCode.OK);
        bool Step(JsonElement e, string status) =>
            e.GetProperty("transfer").GetProperty("transferId").GetString() == id && e.GetProperty("transfer").GetProperty("status").GetString() == status;
        foreach (var side in new[] { ops, a, b })
        {
            await side.WaitForAsync(EventNames.TransferChanged, e => Step(e, "Requested"));
            await side.WaitForAsync(EventNames.TransferChanged, e => Step(e, "InTransit"));
        }
        // The other distributor's own change goes out behind the transfer's: once it has heard it, a transfer event
        // wrongly sent to it has arrived too.
        await world.SetStockAsync(other, onHand: 6, threshold: 0);
        await c.WaitForAsync(EventNames.InventoryChanged, e => e.GetProperty("onHand").GetInt32() == 6);
        Assert.DoesNotContain(c.Received, r => r.Name == EventNames.TransferChanged);
    }

    [Fact]
    public async Task A_restock_clears_the_low_stock_alert_and_the_distributor_hears_it_with_the_stock_flags()
    {
        var world = await World.CreateAsync(api);
        await using var a = await LiveClient.ConnectAsync(api, "/hubs/distributor", api.Token(Roles.Distributor, distributorId: world.DistributorA));

        await world.SetStockAsync(world.DistributorA, onHand: 5, threshold: 10);
        await a.WaitForAsync(EventNames.AlertRaised, e => e.GetProperty("alert").GetProperty("kind").GetString() == "LowStock");
        await a.WaitForAsync(EventNames.InventoryChanged, e => e.GetProperty("available").GetInt32() == 5 && e.GetProperty("belowThreshold").GetBoolean());

        await world.SetStockAsync(world.DistributorA, onHand: 50, threshold: 10);

        // The server says the alert is over and the stock is fine: the console derives neither.
        await a.WaitForAsync(EventNames.AlertCleared, e => e.GetProperty("alert").GetProperty("kind").GetString() == "LowStock"
                                                          && e.GetProperty("alert").GetProperty("distributorId").GetString() == world.DistributorA
                                                          && e.GetProperty("alert").GetProperty("clearedAt").ValueKind == JsonValueKind.String);
        await a.WaitForAsync(EventNames.InventoryChanged, e => e.GetProperty("available").GetInt32() == 50
                                                             && !e.GetProperty("belowThreshold").GetBoolean() && !e.GetProperty("outOfStock").GetBoolean());
    }

    [Theory]
    [InlineData("/hubs/ops", null, HttpStatusCode.Unauthorized)]
    [InlineData("/hubs/distributor", null, HttpStatusCode.Unauthorized)]
    [InlineData("/hubs/ops", Roles.Distributor, HttpStatusCode.Forbidden)]
    [InlineData("/hubs/ops", Roles.Customer, HttpStatusCode.Forbidden)]
    [InlineData("/hubs/distributor", Roles.Ops, HttpStatusCode.Forbidden)]
    [InlineData("/hubs/distributor", Roles.Customer, HttpStatusCode.Forbidden)]
    [InlineData("/hubs/ops", Roles.Sales, HttpStatusCode.Forbidden)]
    [InlineData("/hubs/distributor", Roles.Sales, HttpStatusCode.Forbidden)]
    public async Task Unauthenticated_and_wrong_role_connections_are_refused(string hub, string? role, HttpStatusCode expected)
    {
        var token = role switch
        {
            null => null,
            Roles.Distributor => api.Token(role, distributorId: "d-any"),
            Roles.Customer => api.Token(role, customerId: "c-any"),
            Roles.Sales => api.Token(role, salesId: "s-any"),
            _ => api.Token(role),
        };
        var error = await Assert.ThrowsAsync<HttpRequestException>(() => LiveClient.ConnectAsync(api, hub, token));
        Assert.Equal(expected, error.StatusCode);
    }

    [Fact]
    public async Task The_access_token_query_string_is_accepted_on_hub_paths_only()
    {
        using var anonymous = api.Client(null);
        var token = Uri.EscapeDataString(api.OpsToken);

        var negotiate = await anonymous.PostAsync($"/hubs/ops/negotiate?negotiateVersion=1&access_token={token}", null);
        Assert.Equal(HttpStatusCode.OK, negotiate.StatusCode);

        var rest = await anonymous.GetAsync($"/api/alerts?access_token={token}");
        Assert.Equal(HttpStatusCode.Unauthorized, rest.StatusCode);
    }
}

/// <summary>A SignalR client on the test server that records every event it receives (each event carries an array).</summary>
public sealed class LiveClient : IAsyncDisposable
{
    private static readonly string[] EventNamesToWatch =
        [EventNames.OrderAllocated, EventNames.OrderRejected, EventNames.InventoryChanged, EventNames.TransferChanged, EventNames.AlertRaised, EventNames.AlertCleared,
         EventNames.CampaignProgress];

    private readonly HubConnection _connection;
    private readonly ConcurrentQueue<(string Name, JsonElement Payload)> _received = new();

    private LiveClient(HubConnection connection)
    {
        _connection = connection;
        foreach (var name in EventNamesToWatch)
            connection.On<JsonElement>(name, batch =>
            {
                foreach (var item in batch.EnumerateArray()) _received.Enqueue((name, item.Clone()));
            });
    }

    public IReadOnlyCollection<(string Name, JsonElement Payload)> Received => _received.ToArray();

    public static async Task<LiveClient> ConnectAsync(ApiFactory api, string hub, string? token)
    {
        var connection = new HubConnectionBuilder()
            .WithUrl(new Uri(api.Server.BaseAddress, hub), options =>
            {
                options.HttpMessageHandlerFactory = _ => api.Server.CreateHandler();
                options.Transports = HttpTransportType.LongPolling;
                if (token is not null) options.AccessTokenProvider = () => Task.FromResult<string?>(token);
            })
            .Build();
        var client = new LiveClient(connection);
        await connection.StartAsync();
        return client;
    }

    /// <summary>Waits until an event named <paramref name="name"/> matching <paramref name="match"/> has arrived.</summary>
    public async Task<JsonElement> WaitForAsync(string name, Func<JsonElement, bool> match)
    {
        bool Matches((string Name, JsonElement Payload) r) => r.Name == name && match(r.Payload);
        var received = await Eventually.UntilAsync(() => _received.ToArray(), all => all.Any(Matches),
            $"a matching '{name}' event (the events received so far are shown)");
        return received.First(Matches).Payload;
    }

    public ValueTask DisposeAsync() => _connection.DisposeAsync();
}
