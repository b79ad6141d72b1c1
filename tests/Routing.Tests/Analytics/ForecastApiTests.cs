using System.Net;
using System.Text.Json.Nodes;
using Routing.Tests.Api;

namespace Routing.Tests.Analytics;

/// <summary>The stock forecast through the API (OPERATIONS.md "Forecast and analytics"): velocity from the orders a
/// distributor takes, days of cover, the suggested restock and transfers, and the LowCover alert once per crossing.</summary>
[Collection(ApiCollection.Name)]
public sealed class ForecastApiTests(ApiFactory api)
{
    private static async Task<List<JsonNode>> LowCoverAlertsAsync(HttpClient client, World world) =>
        [.. (await client.GetJsonAsync("/api/alerts?pageSize=500")).Expect(HttpStatusCode.OK).AsArray()
            .Where(a => (string?)a!["kind"] == "LowCover" && (string?)a["sku"] == world.Sku).Select(a => a!)];

    [Fact]
    public async Task Orders_give_a_distributor_velocity_and_cover_and_low_cover_is_raised_once_per_crossing()
    {
        var world = await World.CreateAsync(api, stockA: 100, stockB: 100, threshold: 0);
        var distributorA = world.AsDistributor(world.DistributorA);
        var before = await world.StockAsync(world.DistributorA);
        Assert.Equal((0.0, 0), ((double)before["velocityPerDay"]!, (int)before["suggestedRestock"]!));
        Assert.Null(before["daysOfCover"]);

        // 30 units taken at A at once: its velocity is the fast rate's 30 × ln 2 / 0.25 day ≈ 83 a day, so its 70
        // available last under a day, below lowCoverDays (3).
        (await world.OrderAsync(world.CustomerX, 30)).Expect(HttpStatusCode.Created);
        var stock = await world.StockAsync(world.DistributorA);
        var velocity = (double)stock["velocityPerDay"]!;
        Assert.InRange(velocity, 82, 84);
        Assert.Equal(Math.Round(70 / velocity, 2), (double)stock["daysOfCover"]!, 2);
        Assert.InRange((int)stock["suggestedRestock"]!, (int)Math.Ceiling((14 * velocity) - 70) - 1, (int)Math.Ceiling((14 * velocity) - 70) + 1);
        var raised = Assert.Single(await LowCoverAlertsAsync(distributorA, world));
        Assert.Equal(world.DistributorA, (string?)raised["distributorId"]);
        Assert.Empty(await LowCoverAlertsAsync(world.AsDistributor(world.DistributorB), world));

        // Another order keeps it low: still the one alert, not a second.
        (await world.OrderAsync(world.CustomerX, 2)).Expect(HttpStatusCode.Created);
        Assert.Single(await LowCoverAlertsAsync(distributorA, world));

        // The forecast: A is short with a restock to 14 days; B, selling nothing, can spare its 100 (ops only).
        var rows = (await world.Ops.GetJsonAsync($"/api/forecast?sku={world.Sku}")).Expect(HttpStatusCode.OK).AsArray();
        var a = rows.Single(r => (string?)r!["distributorId"] == world.DistributorA)!;
        Assert.True((bool)a["lowCover"]!);
        var transfer = Assert.Single(a["suggestedTransfers"]!.AsArray())!;
        Assert.Equal((world.DistributorB, Math.Min(100, (int)a["suggestedRestock"]!)), ((string)transfer["fromDistributorId"]!, (int)transfer["quantity"]!));
        var b = rows.Single(r => (string?)r!["distributorId"] == world.DistributorB)!;
        Assert.Equal((0.0, false, 0), ((double)b["velocityPerDay"]!, (bool)b["lowCover"]!, (int)b["suggestedRestock"]!));
        Assert.Equal(world.DistributorA, (string?)rows[0]!["distributorId"]); // shortest cover first

        // A distributor sees its own rows only, without transfer suggestions (they name others' stock); others may not look.
        var own = (await distributorA.GetJsonAsync($"/api/forecast?sku={world.Sku}&distributorId={world.DistributorB}")).Expect(HttpStatusCode.OK).AsArray();
        Assert.All(own, r => Assert.Equal(world.DistributorA, (string?)r!["distributorId"]));
        Assert.All(own, r => Assert.Empty(r!["suggestedTransfers"]!.AsArray()));
        (await world.AsCustomer(world.CustomerX).GetJsonAsync("/api/forecast")).ExpectProblem(HttpStatusCode.Forbidden);
        (await world.Ops.GetJsonAsync("/api/forecast?distributorId=d-nobody")).ExpectProblem(HttpStatusCode.NotFound);

        // Restocked to plenty: cover is back above lowCoverDays and the alert is cleared.
        await world.SetStockAsync(world.DistributorA, 5000, 0);
        var open = (await distributorA.GetJsonAsync("/api/alerts?openOnly=true&pageSize=500")).Expect(HttpStatusCode.OK).AsArray();
        Assert.DoesNotContain(open, al => (string?)al!["kind"] == "LowCover" && (string?)al["sku"] == world.Sku);
        Assert.False((bool)(await world.Ops.GetJsonAsync($"/api/forecast?sku={world.Sku}&distributorId={world.DistributorA}"))
            .Expect(HttpStatusCode.OK).AsArray().Single()!["lowCover"]!);
    }
}
