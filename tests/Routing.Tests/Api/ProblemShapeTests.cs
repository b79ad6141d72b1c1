using System.Net;

namespace Routing.Tests.Api;

/// <summary>Problem documents speak like the rest of the API.</summary>
[Collection(ApiCollection.Name)]
public sealed class ProblemShapeTests(ApiFactory api)
{
    [Fact]
    public async Task Validation_errors_are_keyed_by_the_camelCase_json_field_names_and_carry_a_code()
    {
        var world = await World.CreateAsync(api);

        var problem = (await world.AsCustomer(world.CustomerX).PostJsonAsync("/api/orders",
            new { lines = new[] { new { sku = world.Sku, quantity = 0 } } }, "key-1")).ExpectProblem(HttpStatusCode.BadRequest);

        Assert.Equal("validationFailed", (string?)problem["code"]);
        var keys = problem["errors"]!.AsObject().Select(e => e.Key).ToList();
        Assert.Contains("lines[0].quantity", keys);
    }

    [Fact]
    public async Task Framework_errors_get_a_code_from_their_status()
    {
        var unauthorized = (await api.Client(null).GetJsonAsync("/api/alerts")).ExpectProblem(HttpStatusCode.Unauthorized);
        Assert.Equal("unauthorized", (string?)unauthorized["code"]);

        var unknownRoute = (await api.Ops().GetJsonAsync("/api/no-such-thing")).ExpectProblem(HttpStatusCode.NotFound);
        Assert.Equal("notFound", (string?)unknownRoute["code"]);
    }
}
