using System.Net;
using System.Text.Json.Nodes;

namespace Routing.Tests.Api;

/// <summary>The happy paths of the public surface in PRODUCT.md, on the real host: names, shapes and status codes.</summary>
[Collection(ApiCollection.Name)]
public sealed class PublicSurfaceTests(ApiFactory api)
{
    [Fact]
    public async Task Health_is_200_when_the_cluster_answers()
    {
        var reply = await api.Client(token: null).GetJsonAsync("/health");
        Assert.Equal(HttpStatusCode.OK, reply.Status);
    }

    [Fact]
    public async Task OpenApi_document_is_served_without_a_token_and_lists_the_public_paths()
    {
        var document = (await api.Client(token: null).GetJsonAsync("/openapi/v1.json")).Expect(HttpStatusCode.OK);
        var paths = document["paths"]!.AsObject();
        foreach (var path in new[] { "/api/distributors", "/api/distributors/{id}/inventory/{sku}", "/api/products", "/api/customers",
                     "/api/campaigns", "/api/campaigns/{id}", "/api/campaigns/{campaignId}/orders", "/api/orders/{id}", "/api/alerts" })
            Assert.True(paths.ContainsKey(path), $"the OpenAPI document lacks {path}");
    }

    [Fact]
    public async Task Master_data_is_created_with_201_and_answered_in_camelCase()
    {
        var world = await World.CreateAsync(api);
        var ops = world.Ops;

        var product = (await ops.GetJsonAsync($"/api/products/{world.Sku}")).Expect(HttpStatusCode.OK).AsObject();
        Assert.Equal(world.Sku, (string?)product["sku"]);
        Assert.Equal("bag", (string?)product["unit"]);
        Assert.Equal($"UREA-{world.Tag}-40", (string?)product["substitutes"]![0]);

        var distributor = (await ops.GetJsonAsync($"/api/distributors/{world.DistributorA}")).Expect(HttpStatusCode.OK).AsObject();
        AssertKeys(distributor, "id", "name", "regions", "location", "priority", "dailyCapacity", "active");
        Assert.Equal(World.City, (string?)distributor["regions"]![0]);
        Assert.Equal(30.55, (double)distributor["location"]!["lat"]!);
        Assert.Equal(5000, (int)distributor["dailyCapacity"]!);

        var customer = (await ops.GetJsonAsync($"/api/customers/{world.CustomerX}")).Expect(HttpStatusCode.OK).AsObject();
        AssertKeys(customer, "id", "name", "region", "location", "homeDistributorId");
        Assert.Equal(world.DistributorA, (string?)customer["homeDistributorId"]);

        // Upserting the same distributor again is not a second distributor.
        (await ops.PostJsonAsync("/api/distributors", World.DistributorBody(world.DistributorA, 30.55, 114.30, priority: 1))).Expect(HttpStatusCode.OK);
        var listed = (await ops.GetJsonAsync("/api/distributors")).Expect(HttpStatusCode.OK).AsArray();
        Assert.Single(listed, d => (string?)d!["id"] == world.DistributorA);
    }

    [Fact]
    public async Task Inventory_lists_sku_onHand_reserved_available_and_threshold()
    {
        var world = await World.CreateAsync(api, stockA: 500, threshold: 50);

        var put = (await world.Ops.PutJsonAsync($"/api/distributors/{world.DistributorA}/inventory/{world.Sku}", new { onHand = 480, threshold = 40 }))
            .Expect(HttpStatusCode.OK);
        Assert.Equal(480, (int)put["onHand"]!);

        var items = (await world.Ops.GetJsonAsync($"/api/distributors/{world.DistributorA}/inventory")).Expect(HttpStatusCode.OK).AsArray();
        var item = Assert.Single(items)!.AsObject();
        AssertKeys(item, "sku", "onHand", "reserved", "available", "threshold");
        Assert.Equal(world.Sku, (string?)item["sku"]);
        Assert.Equal(480, (int)item["onHand"]!);
        Assert.Equal(0, (int)item["reserved"]!);
        Assert.Equal(480, (int)item["available"]!);
        Assert.Equal(40, (int)item["threshold"]!);
    }

    [Fact]
    public async Task Creating_a_campaign_is_201_the_same_body_again_200_and_a_different_body_with_the_same_id_409()
    {
        var world = await World.CreateAsync(api);

        var again = (await world.Ops.PostJsonAsync("/api/campaigns", world.CampaignBody())).Expect(HttpStatusCode.OK);
        Assert.Equal(world.Campaign, (string?)again["id"]);

        var problem = (await world.Ops.PostJsonAsync("/api/campaigns", world.CampaignBody(cap: World.Cap + 1))).ExpectProblem(HttpStatusCode.Conflict);
        Assert.Equal("campaignExists", (string?)problem["code"]);
        Assert.Equal(World.Cap, (int)(await world.CampaignAsync())["cap"]!);

        var all = (await world.Ops.GetJsonAsync("/api/campaigns")).Expect(HttpStatusCode.OK).AsArray();
        Assert.Single(all, c => (string?)c!["id"] == world.Campaign);
    }

    [Fact]
    public async Task A_campaign_shows_sold_cap_and_status()
    {
        var world = await World.CreateAsync(api);

        var campaign = await world.CampaignAsync();
        AssertKeys(campaign, "id", "sku", "price", "currentPrice", "startsAt", "endsAt", "cap", "sold", "remaining", "perCustomerLimit", "minUnits", "status");
        Assert.Equal(0, (int)campaign["sold"]!);
        Assert.Equal(World.Cap, (int)campaign["cap"]!);
        Assert.Equal("Open", (string?)campaign["status"]);
        Assert.Equal(world.StartsAt, (DateTimeOffset)campaign["startsAt"]!);

        Assert.Equal(HttpStatusCode.Created, (await world.OrderAsync(world.CustomerX, 4)).Status);
        campaign = await world.CampaignSoldAsync(4);
        Assert.Equal(World.Cap - 4, (int)campaign["remaining"]!);
    }

    [Fact]
    public async Task A_customer_order_is_allocated_201_with_its_allocations_and_reserves_the_stock()
    {
        var world = await World.CreateAsync(api);

        var reply = await world.OrderAsync(world.CustomerX, 3);
        var order = reply.Expect(HttpStatusCode.Created).AsObject();

        Assert.StartsWith("o-", (string?)order["orderId"]);
        Assert.Equal($"/api/orders/{order["orderId"]}", reply.Headers.Location?.OriginalString);
        Assert.True((string?)order["status"] == "Allocated", order.ToJsonString());
        var allocation = Assert.Single(order["allocations"]!.AsArray())!.AsObject();
        AssertKeys(allocation, "distributorId", "sku", "quantity");
        Assert.Equal(world.DistributorA, (string?)allocation["distributorId"]); // the customer's home distributor
        Assert.Equal(world.Sku, (string?)allocation["sku"]);
        Assert.Equal(3, (int)allocation["quantity"]!);

        var stock = await world.StockAsync(world.DistributorA);
        Assert.Equal(3, (int)stock["reserved"]!);
        Assert.Equal(97, (int)stock["available"]!);
        Assert.Equal(100, (int)stock["onHand"]!);
    }

    [Fact]
    public async Task Retrying_an_order_with_the_same_key_and_body_replays_the_answer_and_reserves_only_once()
    {
        var world = await World.CreateAsync(api);
        var key = Guid.NewGuid().ToString();

        var first = (await world.OrderAsync(world.CustomerX, 3, key)).Expect(HttpStatusCode.Created);
        var retry = await world.OrderAsync(world.CustomerX, 3, key);
        var replayed = retry.Expect(HttpStatusCode.Created);

        Assert.Equal((string?)first["orderId"], (string?)replayed["orderId"]);
        Assert.Equal(first.ToJsonString(), replayed.ToJsonString());
        Assert.Equal("true", Assert.Single(retry.Headers.GetValues("Idempotent-Replayed")));
        Assert.Equal(3, await world.ReservedAsync());
        await world.CampaignSoldAsync(3);
        await World.PastAQuotaReportAsync();
        Assert.Equal(3, (int)(await world.CampaignAsync())["sold"]!);

        var orders = (await world.AsCustomer(world.CustomerX).GetJsonAsync("/api/orders")).Expect(HttpStatusCode.OK).AsArray();
        Assert.Single(orders);
    }

    [Fact]
    public async Task Concurrent_retries_with_the_same_key_get_one_order_and_reserve_once()
    {
        var world = await World.CreateAsync(api);
        var key = Guid.NewGuid().ToString();

        var replies = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => world.OrderAsync(world.CustomerX, 3, key)));

        Assert.All(replies, r => Assert.Equal(HttpStatusCode.Created, r.Status));
        Assert.Single(replies.Select(r => (string?)r.Json["orderId"]).Distinct());
        Assert.Single(replies, r => !r.Headers.Contains("Idempotent-Replayed"));
        Assert.Equal(3, await world.ReservedAsync());
        await world.CampaignSoldAsync(3);
    }

    [Fact]
    public async Task Reusing_an_idempotency_key_with_a_different_body_is_422_and_changes_nothing()
    {
        var world = await World.CreateAsync(api);
        var key = Guid.NewGuid().ToString();
        var first = (await world.OrderAsync(world.CustomerX, 3, key)).Expect(HttpStatusCode.Created);

        var problem = (await world.OrderAsync(world.CustomerX, 4, key)).ExpectProblem(HttpStatusCode.UnprocessableEntity);

        Assert.Equal("idempotencyKeyReused", (string?)problem["code"]);
        Assert.Equal(3, await world.ReservedAsync());
        var order = (await world.Ops.GetJsonAsync($"/api/orders/{first["orderId"]}")).Expect(HttpStatusCode.OK);
        Assert.Equal(3, (int)order["allocations"]![0]!["quantity"]!);
        await world.CampaignSoldAsync(3);
    }

    [Fact]
    public async Task An_order_reads_back_with_its_allocations_and_routing_explanation()
    {
        var world = await World.CreateAsync(api);
        var placed = (await world.OrderAsync(world.CustomerX, 2)).Expect(HttpStatusCode.Created);

        // Ops read the explanation; the customer's view leaves it out (AccessScopingTests).
        var order = (await world.Ops.GetJsonAsync($"/api/orders/{placed["orderId"]}")).Expect(HttpStatusCode.OK).AsObject();

        Assert.Equal(world.CustomerX, (string?)order["customerId"]);
        Assert.Equal(world.Campaign, (string?)order["campaignId"]);
        Assert.Equal("Allocated", (string?)order["status"]);
        Assert.Equal(world.DistributorA, (string?)order["allocations"]![0]!["distributorId"]);
        var explanation = order["explanation"]!.AsObject();
        Assert.Equal("default", (string?)explanation["policyId"]);
        Assert.Equal("WholeOrder", (string?)explanation["split"]);
        var candidates = explanation["candidates"]!.AsArray().Select(c => (string?)c!["distributorId"]).ToList();
        Assert.Contains(world.DistributorA, candidates);
        Assert.Contains(world.DistributorB, candidates);
        Assert.NotEmpty(explanation["decisions"]!.AsArray());
    }

    [Fact]
    public async Task Ops_list_alerts_and_acknowledge_one()
    {
        var world = await World.CreateAsync(api);
        await world.SetStockAsync(world.DistributorA, onHand: 5, threshold: 10); // crosses below the threshold

        var alerts = (await world.Ops.GetJsonAsync($"/api/alerts?distributorId={world.DistributorA}&openOnly=true")).Expect(HttpStatusCode.OK).AsArray();
        var alert = Assert.Single(alerts, a => (string?)a!["kind"] == "LowStock")!.AsObject();
        AssertKeys(alert, "id", "kind", "message", "distributorId", "sku", "raisedAt", "occurrences");
        Assert.Equal(world.Sku, (string?)alert["sku"]);

        var acknowledged = (await world.Ops.PostJsonAsync($"/api/alerts/{alert["id"]}/acknowledge", body: null)).Expect(HttpStatusCode.OK);
        Assert.Equal((long)alert["id"]!, (long)acknowledged["id"]!);
        Assert.NotNull(acknowledged["acknowledgedAt"]);
        Assert.Equal("ops", (string?)acknowledged["acknowledgedBy"]);

        var open = (await world.Ops.GetJsonAsync($"/api/alerts?distributorId={world.DistributorA}&openOnly=true")).Expect(HttpStatusCode.OK).AsArray();
        Assert.DoesNotContain(open, a => (long)a!["id"]! == (long)alert["id"]!);
    }

    [Fact]
    public async Task Ops_edit_a_routing_policy_at_run_time()
    {
        var ops = api.Ops();
        var id = $"p-{Guid.NewGuid():N}"[..12];

        var put = (await ops.PutJsonAsync($"/api/policies/{id}", new { split = "SplitQuantity", maxSplits = 2, homeFirst = false, fallback = "Backorder" }))
            .Expect(HttpStatusCode.OK);
        Assert.Equal(id, (string?)put["id"]);
        Assert.Equal("SplitQuantity", (string?)put["split"]);

        var read = (await ops.GetJsonAsync($"/api/policies/{id}")).Expect(HttpStatusCode.OK);
        Assert.Equal(put.ToJsonString(), read.ToJsonString());
        Assert.Equal(2, (int)read["maxSplits"]!);
        Assert.False((bool)read["homeFirst"]!);
        Assert.Equal("Backorder", (string?)read["fallback"]);

        var changed = (await ops.PutJsonAsync($"/api/policies/{id}", new { split = "WholeOrder" })).Expect(HttpStatusCode.OK);
        Assert.Equal("WholeOrder", (string?)changed["split"]);
        Assert.Equal("WholeOrder", (string?)(await ops.GetJsonAsync($"/api/policies/{id}")).Expect(HttpStatusCode.OK)["split"]);
    }

    [Fact]
    public async Task Cancelling_an_order_releases_its_stock_and_its_campaign_units()
    {
        var world = await World.CreateAsync(api);
        var placed = (await world.OrderAsync(world.CustomerX, 5)).Expect(HttpStatusCode.Created);
        Assert.Equal(5, await world.ReservedAsync());
        await world.CampaignSoldAsync(5);

        var cancelled = (await world.AsCustomer(world.CustomerX).PostJsonAsync($"/api/orders/{placed["orderId"]}/cancel", new { reason = "changed my mind" }))
            .Expect(HttpStatusCode.OK);

        Assert.Equal("Cancelled", (string?)cancelled["status"]);
        Assert.Equal(0, await world.ReservedAsync());
        Assert.Equal(100, (int)(await world.StockAsync(world.DistributorA))["available"]!);
        await world.CampaignSoldAsync(0);
        Assert.Equal("Cancelled", (string?)(await world.Ops.GetJsonAsync($"/api/orders/{placed["orderId"]}")).Expect(HttpStatusCode.OK)["status"]);
    }

    [Fact]
    public async Task Errors_are_problem_documents_with_status_title_and_code()
    {
        var ops = api.Ops();

        var problem = (await ops.GetJsonAsync("/api/campaigns/no-such-campaign")).ExpectProblem(HttpStatusCode.NotFound);

        Assert.Equal("notFound", (string?)problem["code"]);
        Assert.False(string.IsNullOrWhiteSpace((string?)problem["detail"]));
        (await ops.GetJsonAsync("/api/orders/o-0000000000")).ExpectProblem(HttpStatusCode.NotFound);
        (await ops.GetJsonAsync("/api/distributors/no-such-distributor")).ExpectProblem(HttpStatusCode.NotFound);
    }

    /// <summary>The JSON has exactly these camelCase names (and no PascalCase twins).</summary>
    private static void AssertKeys(JsonObject json, params string[] names)
    {
        foreach (var name in names)
        {
            Assert.True(json.ContainsKey(name), $"'{name}' is missing from {json.ToJsonString()}");
            Assert.False(json.ContainsKey(char.ToUpperInvariant(name[0]) + name[1..]), $"PascalCase '{name}' in {json.ToJsonString()}");
        }
        Assert.All(json.Select(p => p.Key), key => Assert.True(char.IsLower(key[0]), $"'{key}' is not camelCase"));
    }
}
