using System.Net;

namespace Routing.Tests.Api;

/// <summary>The Prometheus scrape endpoint: the engine's and ASP.NET Core's metrics, for ops only.</summary>
[Collection(ApiCollection.Name)]
public sealed class TelemetryTests(ApiFactory api)
{
    [Fact]
    public async Task Metrics_endpoint_serves_order_and_reservation_counters_to_ops_only()
    {
        var world = await World.CreateAsync(api);
        (await world.OrderAsync(world.CustomerX, 3)).Expect(HttpStatusCode.Created);

        using var ops = api.Ops();
        var text = "";
        for (var i = 0; i < 50 && !text.Contains("routing_orders_allocated"); i++)
        {
            // The exporter caches a scrape briefly; ask again until the order shows.
            var response = await ops.GetAsync("/metrics");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            text = await response.Content.ReadAsStringAsync();
            if (!text.Contains("routing_orders_allocated")) await Task.Delay(200);
        }
        Assert.Contains("routing_orders_placed", text);
        Assert.Contains("routing_orders_allocated", text);
        Assert.Contains("routing_reservations", text);
        Assert.Contains("routing_allocation_duration", text);
        Assert.Contains("http_server_request_duration", text);

        using var anonymous = api.Client(null);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/metrics")).StatusCode);
        using var customer = api.AsCustomer(world.CustomerX);
        Assert.Equal(HttpStatusCode.Forbidden, (await customer.GetAsync("/metrics")).StatusCode);
    }
}
