using System.Net;
using System.Text.Json.Nodes;

namespace Routing.Tests.Api;

/// <summary>Fulfilment of a split order through the API: a distributor confirms, ships and completes only its own share
/// (the token's distributor, whatever the request says), shipping takes units off only its own stock, the order's
/// status is its least advanced share's, and ops take a step for every share or for one.</summary>
[Collection(ApiCollection.Name)]
public sealed class FulfilmentTests(ApiFactory api)
{
    private const int Stock = 6, Quantity = 10;

    [Fact]
    public async Task Each_distributor_confirms_and_ships_only_its_own_share_of_a_split_order()
    {
        var (world, id, atA, atB) = await SplitOrderAsync();
        var (a, b) = (world.AsDistributor(world.DistributorA), world.AsDistributor(world.DistributorB));

        (await a.PostJsonAsync($"/api/orders/{id}/confirm", body: null)).Expect(HttpStatusCode.OK);
        var shipped = (await a.PostJsonAsync($"/api/orders/{id}/ship", body: null)).Expect(HttpStatusCode.OK);

        // A sees its own share, and the order still waiting for B.
        Assert.Equal("Allocated", (string?)shipped["status"]);
        Assert.Equal(world.DistributorA, (string?)Assert.Single(shipped["shares"]!.AsArray())!["distributorId"]);
        Assert.All(shipped["allocations"]!.AsArray(), x => Assert.Equal(world.DistributorA, (string?)x!["distributorId"]));
        Assert.Null(shipped["explanation"]);
        Assert.Equal((Stock - atA, 0), await OnHandAndReservedAsync(world, world.DistributorA));
        Assert.Equal((Stock, atB), await OnHandAndReservedAsync(world, world.DistributorB));
        var seen = await OrderAsync(world, id);
        Assert.Equal("Allocated", (string?)seen["status"]);
        Assert.Equal(("Shipped", "Allocated"), (ShareStatus(seen, world.DistributorA), ShareStatus(seen, world.DistributorB)));

        Assert.Equal("Confirmed", (string?)(await b.PostJsonAsync($"/api/orders/{id}/confirm", body: null)).Expect(HttpStatusCode.OK)["status"]);
        Assert.Equal("Shipped", (string?)(await b.PostJsonAsync($"/api/orders/{id}/ship", body: null)).Expect(HttpStatusCode.OK)["status"]);
        Assert.Equal((Stock - atB, 0), await OnHandAndReservedAsync(world, world.DistributorB));
        Assert.Equal("Shipped", (string?)(await a.PostJsonAsync($"/api/orders/{id}/complete", body: null)).Expect(HttpStatusCode.OK)["status"]);
        Assert.Equal("Completed", (string?)(await b.PostJsonAsync($"/api/orders/{id}/complete", body: null)).Expect(HttpStatusCode.OK)["status"]);

        // The history shows the shares too: all of them to ops, its own to a distributor.
        var listed = (await world.Ops.GetJsonAsync($"/api/orders?campaignId={SplitCampaign(world)}")).Expect(HttpStatusCode.OK).AsArray();
        var row = Assert.Single(listed)!;
        Assert.Equal("Completed", (string?)row["status"]);
        Assert.Equal(["Completed", "Completed"], row["shares"]!.AsArray().Select(s => (string?)s!["status"]));
        var own = Assert.Single((await b.GetJsonAsync($"/api/orders?campaignId={SplitCampaign(world)}")).Expect(HttpStatusCode.OK).AsArray())!;
        Assert.Equal(world.DistributorB, (string?)Assert.Single(own["shares"]!.AsArray())!["distributorId"]);
    }

    [Fact]
    public async Task A_distributor_cannot_take_a_step_for_a_share_that_is_not_its_own()
    {
        var (world, id, atA, atB) = await SplitOrderAsync();
        var (a, b) = (world.AsDistributor(world.DistributorA), world.AsDistributor(world.DistributorB));
        (await b.PostJsonAsync($"/api/orders/{id}/confirm", body: null)).Expect(HttpStatusCode.OK);
        var before = (await OrderAsync(world, id)).ToJsonString();

        // Naming B's share: refused, whatever A's own share could do.
        foreach (var step in new[] { "confirm", "ship", "complete" })
            (await a.PostJsonAsync($"/api/orders/{id}/{step}?distributorId={world.DistributorB}", body: null)).ExpectProblem(HttpStatusCode.Forbidden);
        // A's own share is not confirmed: it cannot ship, and B's confirmation does not let it.
        Assert.Equal("notAllowed", (string?)(await a.PostJsonAsync($"/api/orders/{id}/ship", body: null)).ExpectProblem(HttpStatusCode.Conflict)["code"]);
        // A distributor without a share does not see the order at all; a customer takes no fulfilment step.
        var outsider = world.AsDistributor($"d-{world.Tag}-c");
        (await outsider.PostJsonAsync($"/api/orders/{id}/confirm", body: null)).ExpectProblem(HttpStatusCode.NotFound);
        (await outsider.PostJsonAsync($"/api/orders/{id}/confirm?distributorId={world.DistributorA}", body: null)).ExpectProblem(HttpStatusCode.NotFound);
        (await world.AsCustomer(world.CustomerX).PostJsonAsync($"/api/orders/{id}/confirm", body: null)).ExpectProblem(HttpStatusCode.Forbidden);

        Assert.Equal(before, (await OrderAsync(world, id)).ToJsonString());
        Assert.Equal((Stock, atA), await OnHandAndReservedAsync(world, world.DistributorA));
        Assert.Equal((Stock, atB), await OnHandAndReservedAsync(world, world.DistributorB));
    }

    [Fact]
    public async Task Ops_take_a_step_for_one_share_or_for_every_share()
    {
        var (world, id, atA, atB) = await SplitOrderAsync();
        var ops = world.Ops;

        var one = (await ops.PostJsonAsync($"/api/orders/{id}/confirm?distributorId={world.DistributorA}", body: null)).Expect(HttpStatusCode.OK);
        Assert.Equal(("Confirmed", "Allocated"), (ShareStatus(one, world.DistributorA), ShareStatus(one, world.DistributorB)));
        Assert.Equal("Allocated", (string?)one["status"]);
        Assert.Equal(2, one["allocations"]!.AsArray().Select(x => (string?)x!["distributorId"]).Distinct().Count());
        // Every share at once: B is not confirmed, so nothing ships anywhere.
        Assert.Equal("notAllowed", (string?)(await ops.PostJsonAsync($"/api/orders/{id}/ship", body: null)).ExpectProblem(HttpStatusCode.Conflict)["code"]);
        Assert.Equal((Stock, atA), await OnHandAndReservedAsync(world, world.DistributorA));
        // A distributor without a share of the order: nothing to do.
        Assert.Equal("notAllowed", (string?)(await ops.PostJsonAsync($"/api/orders/{id}/confirm?distributorId=d-{world.Tag}-c", body: null))
            .ExpectProblem(HttpStatusCode.Conflict)["code"]);

        Assert.Equal("Confirmed", (string?)(await ops.PostJsonAsync($"/api/orders/{id}/confirm", body: null)).Expect(HttpStatusCode.OK)["status"]);
        var shipped = (await ops.PostJsonAsync($"/api/orders/{id}/ship", body: null)).Expect(HttpStatusCode.OK);

        Assert.Equal("Shipped", (string?)shipped["status"]);
        Assert.Equal((Stock - atA, 0), await OnHandAndReservedAsync(world, world.DistributorA));
        Assert.Equal((Stock - atB, 0), await OnHandAndReservedAsync(world, world.DistributorB));
        Assert.Equal("Completed", (string?)(await ops.PostJsonAsync($"/api/orders/{id}/complete", body: null)).Expect(HttpStatusCode.OK)["status"]);
    }

    [Fact]
    public async Task Concurrent_steps_by_both_distributors_end_consistent()
    {
        var (world, id, atA, atB) = await SplitOrderAsync();
        var (a, b) = (world.AsDistributor(world.DistributorA), world.AsDistributor(world.DistributorB));
        Task<Reply> Step(HttpClient distributor, string step) => distributor.PostJsonAsync($"/api/orders/{id}/{step}", body: null);
        // A confirm after the share has shipped would be refused, not a repeat: A's confirms finish before its ships start.
        async Task<Reply[]> AConfirmsAndShipsAsync() =>
            [.. await Task.WhenAll(Step(a, "confirm"), Step(a, "confirm")), .. await Task.WhenAll(Step(a, "ship"), Step(a, "ship"))];

        var firsts = await Task.WhenAll(AConfirmsAndShipsAsync(), Task.WhenAll(Step(b, "confirm"), Step(b, "confirm")));

        Assert.All(firsts.SelectMany(r => r), r => r.Expect(HttpStatusCode.OK));
        var order = await OrderAsync(world, id);
        Assert.Equal("Confirmed", (string?)order["status"]);
        Assert.Equal(("Shipped", "Confirmed"), (ShareStatus(order, world.DistributorA), ShareStatus(order, world.DistributorB)));
        Assert.Equal((Stock - atA, 0), await OnHandAndReservedAsync(world, world.DistributorA));
        Assert.Equal((Stock, atB), await OnHandAndReservedAsync(world, world.DistributorB));

        var seconds = await Task.WhenAll(Step(b, "ship"), Step(a, "complete"), Step(b, "ship"), Step(a, "complete"));

        Assert.All(seconds, r => r.Expect(HttpStatusCode.OK));
        order = await OrderAsync(world, id);
        Assert.Equal("Shipped", (string?)order["status"]);
        Assert.Equal(("Completed", "Shipped"), (ShareStatus(order, world.DistributorA), ShareStatus(order, world.DistributorB)));
        Assert.Equal((Stock - atA, 0), await OnHandAndReservedAsync(world, world.DistributorA));
        Assert.Equal((Stock - atB, 0), await OnHandAndReservedAsync(world, world.DistributorB));
    }

    [Fact]
    public async Task Once_a_distributor_confirms_its_share_only_ops_may_cancel_and_once_it_ships_nobody_may()
    {
        var (world, id, atA, atB) = await SplitOrderAsync();
        var customer = world.AsCustomer(world.CustomerX);
        (await world.AsDistributor(world.DistributorA).PostJsonAsync($"/api/orders/{id}/confirm", body: null)).Expect(HttpStatusCode.OK);

        Assert.Equal("notAllowed", (string?)(await customer.PostJsonAsync($"/api/orders/{id}/cancel", new { reason = "changed my mind" }))
            .ExpectProblem(HttpStatusCode.Conflict)["code"]);
        Assert.Equal(atA + atB, await world.ReservedAsync());

        Assert.Equal("Cancelled", (string?)(await world.Ops.PostJsonAsync($"/api/orders/{id}/cancel", new { reason = "the customer called" }))
            .Expect(HttpStatusCode.OK)["status"]);
        Assert.Equal(0, await world.ReservedAsync());

        var (other, shippedAtA, _, atB2) = await SplitOrderAsync();
        var otherA = other.AsDistributor(other.DistributorA);
        (await otherA.PostJsonAsync($"/api/orders/{shippedAtA}/confirm", body: null)).Expect(HttpStatusCode.OK);
        (await otherA.PostJsonAsync($"/api/orders/{shippedAtA}/ship", body: null)).Expect(HttpStatusCode.OK);
        Assert.Equal("notAllowed", (string?)(await other.Ops.PostJsonAsync($"/api/orders/{shippedAtA}/cancel", new { reason = "too late" }))
            .ExpectProblem(HttpStatusCode.Conflict)["code"]);
        Assert.Equal(atB2, (int)(await other.StockAsync(other.DistributorB))["reserved"]!);
        Assert.Equal("Allocated", (string?)(await OrderAsync(other, shippedAtA))["status"]);
    }

    /// <summary>A world whose two distributors hold <see cref="Stock"/> units each, and an order of <see cref="Quantity"/>
    /// split between them under a campaign with a split policy: its id and the units at each.</summary>
    private async Task<(World World, string OrderId, int AtA, int AtB)> SplitOrderAsync()
    {
        var world = await World.CreateAsync(api, stockA: Stock, stockB: Stock, threshold: 0);
        var policy = $"p-{world.Tag}";
        (await world.Ops.PutJsonAsync($"/api/policies/{policy}", new { split = "SplitQuantity", maxSplits = 2, homeFirst = false })).Expect(HttpStatusCode.OK);
        var campaign = world.CampaignBody();
        campaign["id"] = SplitCampaign(world);
        campaign["policy"] = policy;
        (await world.Ops.PostJsonAsync("/api/campaigns", campaign)).Expect(HttpStatusCode.Created);
        var placed = (await world.AsCustomer(world.CustomerX).PostJsonAsync($"/api/campaigns/{SplitCampaign(world)}/orders",
            new { quantity = Quantity }, Guid.NewGuid().ToString())).Expect(HttpStatusCode.Created);
        Assert.Equal("Allocated", (string?)placed["status"]);
        Assert.Equal(("Allocated", "Allocated"), (ShareStatus(placed, world.DistributorA), ShareStatus(placed, world.DistributorB)));
        return (world, (string)placed["orderId"]!, Units(placed, world.DistributorA), Units(placed, world.DistributorB));
    }

    private static string SplitCampaign(World world) => $"gb-{world.Tag}-split";

    private static async Task<JsonNode> OrderAsync(World world, string id) =>
        (await world.Ops.GetJsonAsync($"/api/orders/{id}")).Expect(HttpStatusCode.OK);

    private static string? ShareStatus(JsonNode order, string distributorId) =>
        (string?)Assert.Single(order["shares"]!.AsArray(), s => (string?)s!["distributorId"] == distributorId)!["status"];

    private static int Units(JsonNode order, string distributorId) =>
        order["allocations"]!.AsArray().Where(x => (string?)x!["distributorId"] == distributorId).Sum(x => (int)x!["quantity"]!);

    private static async Task<(int OnHand, int Reserved)> OnHandAndReservedAsync(World world, string distributorId)
    {
        var item = await world.StockAsync(distributorId);
        return ((int)item["onHand"]!, (int)item["reserved"]!);
    }
}
