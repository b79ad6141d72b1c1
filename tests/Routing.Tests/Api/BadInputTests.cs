using System.Net;
using Routing.Contracts.Orders;

namespace Routing.Tests.Api;

/// <summary>PRODUCT.md "Invariants": bad input gets a clear 4xx (RFC 9457 problem details) and changes nothing.
/// Each row is sent into a fresh world; the world is read before and after, and must read the same.</summary>
[Collection(ApiCollection.Name)]
public sealed class BadInputTests(ApiFactory api)
{
    public static TheoryData<string> Cases => [.. BadInputTable.Rows.Keys];

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Bad_input_gets_a_4xx_problem_and_changes_nothing(string row)
    {
        var bad = BadInputTable.Rows[row];
        var world = await World.CreateAsync(api);
        if (bad.Arrange is not null) await bad.Arrange(world);
        var key = bad.Key?.Invoke();
        var probes = Probes(world, bad, key);
        var before = await ReadAllAsync(world, probes);

        var client = bad.AsCustomer ? world.AsCustomer(world.CustomerX) : world.Ops;
        var reply = await client.SendJsonAsync(new HttpMethod(bad.Method), bad.Path(world), bad.Body?.Invoke(world), key, bad.ContentType);

        Assert.NotEqual(HttpStatusCode.InternalServerError, reply.Status);
        var problem = reply.ExpectProblem(bad.Status);
        if (bad.Code is not null) Assert.Equal(bad.Code, (string?)problem["code"]);
        if (bad.Settle) await world.SettleQuotaAsync();
        var after = await ReadAllAsync(world, probes);
        foreach (var (path, value) in before)
            Assert.True(value == after[path], $"{row}: GET {path} changed\nbefore: {value}\nafter:  {after[path]}");
    }

    /// <summary>What the world looks like to ops: its distributors, stock, reservations, customer, orders, campaign, product
    /// and alerts; the lists of all distributors, products and campaigns (by id); and whatever the row could have created.</summary>
    private static List<string> Probes(World w, BadInput bad, string? key)
    {
        var probes = new List<string>
        {
            $"/api/distributors/{w.DistributorA}", $"/api/distributors/{w.DistributorB}",
            $"/api/distributors/{w.DistributorA}/inventory", $"/api/distributors/{w.DistributorB}/inventory",
            $"/api/distributors/{w.DistributorA}/reservations", $"/api/distributors/{w.DistributorB}/reservations",
            $"/api/customers/{w.CustomerX}", $"/api/customers/{w.CustomerX}/orders",
            $"/api/campaigns/{w.Campaign}", $"/api/products/{w.Sku}",
            $"/api/alerts?distributorId={w.DistributorA}", $"/api/alerts?distributorId={w.DistributorB}",
            "ids:/api/distributors", "ids:/api/products", "ids:/api/campaigns", "ids:/api/policies",
        };
        if (key is not null) probes.Add($"/api/orders/{OrderIds.For(w.CustomerX, key)}");
        probes.AddRange(bad.Probes?.Invoke(w) ?? []);
        return probes;
    }

    private static async Task<Dictionary<string, string>> ReadAllAsync(World world, List<string> probes)
    {
        var result = new Dictionary<string, string>();
        foreach (var probe in probes)
        {
            var idsOnly = probe.StartsWith("ids:", StringComparison.Ordinal);
            var reply = await world.Ops.GetJsonAsync(idsOnly ? probe[4..] : probe);
            Assert.True(reply.Code is 200 or 404, $"GET {probe}: {reply}");
            result[probe] = reply.Code == 404 ? "404"
                : idsOnly ? string.Join(",", reply.Json.AsArray().Select(i => (string?)(i!["id"] ?? i["sku"])).Order(StringComparer.Ordinal))
                : reply.Text;
        }
        return result;
    }
}

/// <summary>One bad request: who sends what where, the status and problem code it must get, and what else to re-read.</summary>
public sealed record BadInput(
    HttpStatusCode Status,
    string Method,
    Func<World, string> Path,
    Func<World, object?>? Body,
    bool AsCustomer = false,
    Func<string?>? Key = null,
    string? Code = null,
    Func<World, IEnumerable<string>>? Probes = null,
    Func<World, Task>? Arrange = null,
    bool Settle = false,
    string ContentType = "application/json");

/// <summary>The bad-input table. Bodies given as strings are sent as they are (malformed JSON, empty bodies).</summary>
public static class BadInputTable
{
    private const HttpStatusCode BadRequest = HttpStatusCode.BadRequest;
    private const HttpStatusCode NotFound = HttpStatusCode.NotFound;
    private const HttpStatusCode Conflict = HttpStatusCode.Conflict;
    private const HttpStatusCode Unprocessable = HttpStatusCode.UnprocessableEntity;

    private static readonly string LongId = new('d', 5000);

    public static readonly Dictionary<string, BadInput> Rows = new()
    {
        // Products
        ["product: malformed JSON"] = Product(BadRequest, _ => """{ "sku": "UREA-NEW", "name": """),
        ["product: empty body"] = Product(BadRequest, _ => ""),
        ["product: missing name"] = Product(BadRequest, _ => new { sku = "UREA-NEW" }),
        ["product: substitutes is a string, not a list"] = Product(BadRequest, _ => new { sku = "UREA-NEW", name = "n", substitutes = "UREA-40" }),
        ["product: 5,000-character sku"] = Product(BadRequest, _ => new { sku = LongId, name = "n" }),
        ["product: a substitute listed twice"] = Product(Unprocessable, w => new { sku = w.Sku, name = "renamed", substitutes = new[] { "UREA-40", "UREA-40" } }, "invalidSubstitute"),
        ["product: a null substitute"] = Product(BadRequest, w => new { sku = w.Sku, name = "renamed", substitutes = new string?[] { null } }),
        ["product: substitutes itself"] = Product(Unprocessable, w => new { sku = w.Sku, name = "renamed", substitutes = new[] { w.Sku } }, "invalidSubstitute"),

        // Distributors
        ["distributor: malformed JSON"] = Distributor(BadRequest, _ => """{ "id": "d-new", "name": "n", "regions": [ """),
        ["distributor: empty body"] = Distributor(BadRequest, _ => ""),
        ["distributor: JSON null body"] = Distributor(BadRequest, _ => "null"),
        ["distributor: JSON array body"] = Distributor(BadRequest, _ => "[]"),
        ["distributor: missing name and regions"] = Distributor(BadRequest, w => new { id = NewDistributor(w), location = new { lat = 30.5, lon = 114.3 }, priority = 1, dailyCapacity = 10 }),
        ["distributor: priority is a string"] = Distributor(BadRequest, w => With(NewDistributorBody(w), "priority", "first")),
        ["distributor: 5,000-character id"] = Distributor(BadRequest, w => With(NewDistributorBody(w), "id", LongId)),
        ["distributor: id with a slash"] = Distributor(BadRequest, w => With(NewDistributorBody(w), "id", "d/../x")),
        ["distributor: 5,000-character name"] = Distributor(BadRequest, w => With(NewDistributorBody(w), "name", new string('n', 5000))),
        ["distributor: region code 'abc'"] = Distributor(BadRequest, w => With(NewDistributorBody(w), "regions", new[] { "abc" })),
        ["distributor: region code of 13 digits"] = Distributor(BadRequest, w => With(NewDistributorBody(w), "regions", new[] { "4201061234567" })),
        ["distributor: a null region"] = Distributor(BadRequest, w => With(NewDistributorBody(w), "regions", new string?[] { null })),
        ["distributor: no regions"] = Distributor(BadRequest, w => With(NewDistributorBody(w), "regions", Array.Empty<string>())),
        ["distributor: latitude 95"] = Distributor(BadRequest, w => With(NewDistributorBody(w), "location", new { lat = 95.0, lon = 114.3 })),
        ["distributor: location null"] = Distributor(BadRequest, w => With(NewDistributorBody(w), "location", null)),
        ["distributor: longitude -181"] = Distributor(BadRequest, w => With(NewDistributorBody(w), "location", new { lat = 30.5, lon = -181.0 })),
        ["distributor: negative daily capacity"] = Distributor(BadRequest, w => With(NewDistributorBody(w), "dailyCapacity", -1)),
        ["distributor: priority 0"] = Distributor(BadRequest, w => With(NewDistributorBody(w), "priority", 0)),
        ["distributor: sent as text/plain"] = new(HttpStatusCode.UnsupportedMediaType, "POST", _ => "/api/distributors",
            w => System.Text.Json.JsonSerializer.Serialize(NewDistributorBody(w)), ContentType: "text/plain",
            Probes: w => [$"/api/distributors/{NewDistributor(w)}"]),

        // Inventory
        ["inventory: unknown distributor"] = Stock(NotFound, w => $"d-{w.Tag}-nope", w => w.Sku, new { onHand = 10, threshold = 1 }, "notFound"),
        ["inventory: unknown sku"] = Stock(NotFound, w => w.DistributorA, w => $"NOPE-{w.Tag}", new { onHand = 10, threshold = 1 }, "notFound"),
        ["inventory: negative on hand"] = Stock(BadRequest, w => w.DistributorA, w => w.Sku, new { onHand = -1, threshold = 1 }),
        ["inventory: absurd on hand (100,000,001)"] = Stock(BadRequest, w => w.DistributorA, w => w.Sku, new { onHand = 100_000_001, threshold = 1 }),
        ["inventory: on hand beyond a 32-bit integer"] = Stock(BadRequest, w => w.DistributorA, w => w.Sku, """{ "onHand": 99999999999, "threshold": 1 }"""),
        ["inventory: on hand is a string"] = Stock(BadRequest, w => w.DistributorA, w => w.Sku, new { onHand = "lots", threshold = 1 }),
        ["inventory: negative threshold"] = Stock(BadRequest, w => w.DistributorA, w => w.Sku, new { onHand = 10, threshold = -5 }),
        ["inventory: malformed JSON"] = Stock(BadRequest, w => w.DistributorA, w => w.Sku, """{ "onHand": 10, """),
        ["inventory: on hand below units reserved for orders"] = Stock(Conflict, w => w.DistributorA, w => w.Sku, new { onHand = 2, threshold = 1 }, "belowReserved",
            arrange: async w =>
            {
                (await w.OrderAsync(w.CustomerX, 5)).Expect(HttpStatusCode.Created);
                // Reported now, so no report arrives between the reads before and after (it would count the 5 again
                // until the campaign reads the journal afresh).
                await w.SettleQuotaAsync();
                await w.CampaignSoldAsync(5);
            }),

        // Customers
        ["customer: region 'Wuhan'"] = Customer(BadRequest, w => With(NewCustomerBody(w), "region", "Wuhan")),
        ["customer: latitude 95"] = Customer(BadRequest, w => With(NewCustomerBody(w), "location", new { lat = 95.0, lon = 114.3 })),
        ["customer: missing location"] = Customer(BadRequest, w => new { id = NewCustomer(w), name = "n", region = Wuhan.District }),
        ["customer: location is a string"] = Customer(BadRequest, w => With(NewCustomerBody(w), "location", "30.5,114.3")),
        ["customer: kind of 5,000 characters"] = Customer(BadRequest, w => With(NewCustomerBody(w), "kind", new string('k', 5000))),
        ["customer: 5,000-character id"] = Customer(BadRequest, w => With(NewCustomerBody(w), "id", LongId)),
        ["customer: a sales manager id with a space"] = Customer(BadRequest, w => With(NewCustomerBody(w), "salesManagerId", "s 1"), "validationFailed"),
        ["customer: a sales manager id with a trailing newline"] = Customer(BadRequest, w => With(NewCustomerBody(w), "salesManagerId", "s-1\n"), "invalidJson"),
        ["customer: a sales manager id as a number"] = Customer(BadRequest, w => With(NewCustomerBody(w), "salesManagerId", 7), "invalidJson"),
        ["customer: a 5,000-character sales manager id"] = Customer(BadRequest, w => With(NewCustomerBody(w), "salesManagerId", LongId)),
        ["customer: unknown home distributor"] = Customer(Unprocessable, w => With(NewCustomerBody(w), "homeDistributorId", $"d-{w.Tag}-nope"), "unknownDistributor"),

        // Campaigns
        ["campaign: endsAt before startsAt"] = Campaign(Unprocessable, w => With(NewCampaignBody(w), "endsAt", w.StartsAt.AddHours(-1)), "invalidSchedule"),
        ["campaign: endsAt equal to startsAt"] = Campaign(Unprocessable, w => With(NewCampaignBody(w), "endsAt", w.StartsAt), "invalidSchedule"),
        ["campaign: unknown sku"] = Campaign(Unprocessable, w => With(NewCampaignBody(w), "sku", $"NOPE-{w.Tag}"), "unknownProduct"),
        ["campaign: unknown participating distributor"] = Campaign(Unprocessable, w => With(NewCampaignBody(w), "distributors", new[] { $"d-{w.Tag}-nope" }), "unknownDistributor"),
        ["campaign: unknown routing policy"] = Campaign(Unprocessable, w => With(NewCampaignBody(w), "policy", $"p-{w.Tag}-nope"), "unknownPolicy"),
        ["campaign: per-customer limit above the cap"] = Campaign(Unprocessable, w => With(With(NewCampaignBody(w), "cap", 10), "perCustomerLimit", 11), "invalidLimit"),
        ["campaign: two tiers with the same minUnits"] = Campaign(Unprocessable, w => With(NewCampaignBody(w), "tiers", new[] { new { minUnits = 100, price = 110.0m }, new { minUnits = 100, price = 100.0m } }), "invalidTiers"),
        ["campaign: a null tier"] = Campaign(BadRequest, w => With(NewCampaignBody(w), "tiers", new object?[] { null })),
        ["campaign: a tier priced 0"] = Campaign(BadRequest, w => With(NewCampaignBody(w), "tiers", new[] { new { minUnits = 100, price = 0m } })),
        ["campaign: a null participating distributor"] = Campaign(BadRequest, w => With(NewCampaignBody(w), "distributors", new string?[] { null })),
        ["campaign: price beyond a decimal"] = Campaign(BadRequest, w => System.Text.Json.JsonSerializer.Serialize(NewCampaignBody(w), Http.Json).Replace("\"price\":118.0", "\"price\":1e400")),
        ["campaign: sku null"] = Campaign(BadRequest, w => With(NewCampaignBody(w), "sku", null)),
        ["campaign: cap 0"] = Campaign(BadRequest, w => With(NewCampaignBody(w), "cap", 0)),
        ["campaign: negative price"] = Campaign(BadRequest, w => With(NewCampaignBody(w), "price", -1.0m)),
        ["campaign: startsAt is not a date"] = Campaign(BadRequest, w => With(NewCampaignBody(w), "startsAt", "next spring")),
        ["campaign: missing endsAt"] = Campaign(BadRequest, w => Without(NewCampaignBody(w), "endsAt")),
        ["campaign: region code 'hubei'"] = Campaign(BadRequest, w => With(NewCampaignBody(w), "regions", new[] { "hubei" })),
        ["campaign: 5,000-character id"] = Campaign(BadRequest, w => With(NewCampaignBody(w), "id", LongId)),
        ["campaign: malformed JSON"] = Campaign(BadRequest, _ => """{ "id": "gb-new", "sku": """),
        ["campaign: existing id with a different body"] = Campaign(Conflict, w => w.CampaignBody(cap: World.Cap + 1), "campaignExists"),

        // Campaign orders (customer X's token)
        ["order: quantity 0"] = Order(BadRequest, new { quantity = 0 }),
        ["order: quantity -1"] = Order(BadRequest, new { quantity = -1 }),
        ["order: absurd quantity 1,000,001"] = Order(BadRequest, new { quantity = 1_000_001 }),
        ["order: quantity 2.5"] = Order(BadRequest, """{ "quantity": 2.5 }"""),
        ["order: quantity is a string"] = Order(BadRequest, new { quantity = "three" }),
        ["order: malformed JSON"] = Order(BadRequest, """{ "quantity": """),
        ["order: empty body"] = Order(BadRequest, ""),
        ["order: JSON null body"] = Order(BadRequest, "null"),
        ["order: no quantity"] = Order(BadRequest, new { }),
        ["order: unknown campaign"] = Order(NotFound, new { quantity = 1 }, path: w => $"/api/campaigns/gb-{w.Tag}-nope/orders", code: "notFound"),
        ["order: missing Idempotency-Key"] = Order(BadRequest, new { quantity = 1 }, key: () => null, code: "idempotencyKeyRequired"),
        ["order: blank Idempotency-Key"] = Order(BadRequest, new { quantity = 1 }, key: () => "   ", code: "idempotencyKeyRequired"),
        ["order: Idempotency-Key of 300 characters"] = Order(BadRequest, new { quantity = 1 }, key: () => new string('k', 300), code: "idempotencyKeyTooLong"),
        ["order: over the per-customer limit"] = Order(Unprocessable, new { quantity = World.PerCustomerLimit + 1 }, code: "limitExceeded"),

        // Regular orders (customer X's token)
        ["regular order: no lines"] = RegularOrder(BadRequest, new { lines = Array.Empty<object>() }),
        ["regular order: a null line"] = RegularOrder(BadRequest, new { lines = new object?[] { null } }),
        ["regular order: a line without a sku"] = RegularOrder(BadRequest, new { lines = new[] { new { quantity = 1 } } }),
        ["regular order: quantity 0"] = RegularOrder(BadRequest, w => new { lines = new[] { new { sku = w.Sku, quantity = 0 } } }),
        ["regular order: 51 lines"] = RegularOrder(BadRequest, w => new { lines = Enumerable.Repeat(new { sku = w.Sku, quantity = 1 }, 51).ToArray() }),
        ["regular order: unknown sku"] = RegularOrder(Unprocessable, w => new { lines = new[] { new { sku = $"NOPE-{w.Tag}", quantity = 1 } } }, "unknownProduct"),

        // Routing policies
        ["policy: unknown split"] = Policy(BadRequest, w => $"p-{w.Tag}", new { split = "Sideways" }),
        ["policy: maxSplits 0"] = Policy(BadRequest, w => $"p-{w.Tag}", new { maxSplits = 0 }),
        ["policy: negative weight"] = Policy(BadRequest, w => $"p-{w.Tag}", new { weights = new { priority = -1.0, distance = 1.0, stock = 1.0, load = 1.0 } }),
        ["policy: JSON null body"] = Policy(BadRequest, w => $"p-{w.Tag}", "null"),
        ["policy: all weights zero"] = Policy(Unprocessable, w => $"p-{w.Tag}", new { weights = new { priority = 0.0, distance = 0.0, stock = 0.0, load = 0.0 } }, "invalidWeights"),
        ["policy: id with a space"] = Policy(BadRequest, w => $"p-{w.Tag}%20x", new { split = "WholeOrder" }, "invalidId"),
        ["policy: 5,000-character id"] = Policy(BadRequest, _ => new string('p', 5000), new { split = "WholeOrder" }, "invalidId"),

        // Strict JSON: nothing is guessed, nothing is read leniently (issue 9, item 6)
        ["inventory: empty object (would zero the stock)"] = Stock(BadRequest, w => w.DistributorA, w => w.Sku, "{}", "invalidJson"),
        ["inventory: no threshold"] = Stock(BadRequest, w => w.DistributorA, w => w.Sku, new { onHand = 10 }, "invalidJson"),
        ["inventory: on hand given twice"] = Stock(BadRequest, w => w.DistributorA, w => w.Sku, """{ "onHand": 10, "onHand": 90, "threshold": 1 }""", "invalidJson"),
        ["inventory: on hand as a numeric string"] = Stock(BadRequest, w => w.DistributorA, w => w.Sku, new { onHand = "30", threshold = 1 }, "invalidJson"),
        ["inventory: OnHand in another case"] = Stock(BadRequest, w => w.DistributorA, w => w.Sku, """{ "OnHand": 30, "threshold": 1 }""", "invalidJson"),
        ["inventory: on hand null"] = Stock(BadRequest, w => w.DistributorA, w => w.Sku, new { onHand = (int?)null, threshold = 1 }, "invalidJson"),
        ["order: quantity as a numeric string"] = Order(BadRequest, new { quantity = "3" }, code: "invalidJson"),
        ["order: quantity given twice"] = Order(BadRequest, """{ "quantity": 1, "quantity": 40 }""", code: "invalidJson"),
        ["order: an unknown field"] = Order(BadRequest, new { quantity = 1, discount = 50 }, code: "invalidJson"),
        ["order: control character in the Idempotency-Key"] = Order(BadRequest, new { quantity = 1 }, key: () => "k\u007f1", code: "controlCharacters"),
        ["distributor: location {} (would be 0, 0)"] = Distributor(BadRequest, w => With(NewDistributorBody(w), "location", new { })),
        ["distributor: no dailyCapacity (would be 0)"] = Distributor(BadRequest, w => Without(NewDistributorBody(w), "dailyCapacity")),
        ["distributor: no priority"] = Distributor(BadRequest, w => Without(NewDistributorBody(w), "priority")),
        ["distributor: a region with a trailing newline"] = Distributor(BadRequest, w => With(NewDistributorBody(w), "regions", new[] { "420106\n" })),
        ["distributor: an id with a trailing newline"] = Distributor(BadRequest, w => With(NewDistributorBody(w), "id", NewDistributor(w) + "\n")),
        ["distributor: NUL in the name"] = Distributor(BadRequest, w => With(NewDistributorBody(w), "name", "Hongshan\u0000Agri")),
        ["distributor: a tab in the name"] = Distributor(BadRequest, w => With(NewDistributorBody(w), "name", "Hongshan\tAgri")),
        ["distributor: daily capacity as a numeric string"] = Distributor(BadRequest, w => With(NewDistributorBody(w), "dailyCapacity", "100")),
        ["customer: a region with a trailing newline"] = Customer(BadRequest, w => With(NewCustomerBody(w), "region", Wuhan.District + "\n")),
        ["customer: an escape character in the name"] = Customer(BadRequest, w => With(NewCustomerBody(w), "name", "Grower \u001b[31mred")),
        ["product: a line feed in the name"] = Product(BadRequest, w => new { sku = w.Sku, name = "Urea\nSELECT 1" }),
        ["product: sku with a trailing newline"] = Product(BadRequest, _ => new { sku = "UREA-NEW\n", name = "n" }),
        ["campaign: cap as a numeric string"] = Campaign(BadRequest, w => With(NewCampaignBody(w), "cap", "1000")),
        ["campaign: missing minUnits"] = Campaign(BadRequest, w => Without(NewCampaignBody(w), "minUnits")),
        ["regular order: NUL in a line's group"] = RegularOrder(BadRequest, w => new { lines = new[] { new { sku = w.Sku, quantity = 1, group = "g\u00001" } } }, "invalidJson"),
        ["regular order: a line without a quantity"] = RegularOrder(BadRequest, w => new { lines = new[] { new { sku = w.Sku } } }, "invalidJson"),
        ["orders: NUL in a cancel reason"] = new(BadRequest, "POST", _ => "/api/orders/o-00000000000000000000/cancel", _ => new { reason = "oops\u0000" }, Code: "invalidJson"),
        ["orders: NUL in a query filter"] = new(BadRequest, "GET", _ => "/api/orders?customerId=c%00x", null, Code: "controlCharacters"),
        ["orders: a newline in the path"] = new(BadRequest, "GET", _ => "/api/orders/o-1%0A", null, Code: "controlCharacters"),
        ["orders: status as a number"] = new(BadRequest, "GET", _ => "/api/orders?status=3", null, Code: "badStatus"),

        // Enums by name only: a number would be stored and break every order under the policy (issue 9, item 5)
        ["policy: split as a number"] = Policy(BadRequest, w => $"p-{w.Tag}", new { split = 99 }),
        ["policy: split as a defined number"] = Policy(BadRequest, w => $"p-{w.Tag}", new { split = 1 }),
        ["policy: fallback as a number"] = Policy(BadRequest, w => $"p-{w.Tag}", new { fallback = 2 }),
        ["policy: split as a numeric string"] = Policy(BadRequest, w => $"p-{w.Tag}", new { split = "1" }),
        ["policy: maxSplits as a string"] = Policy(BadRequest, w => $"p-{w.Tag}", new { maxSplits = "3" }),
        ["policy: id with a trailing newline"] = Policy(BadRequest, w => $"p-{w.Tag}%0A", new { split = "WholeOrder" }, "controlCharacters"),

        // Paging: every list
        ["alerts: pageSize 0"] = new(BadRequest, "GET", _ => "/api/alerts?pageSize=0", null, Code: "badPageSize"),
        ["alerts: pageSize 501"] = new(BadRequest, "GET", _ => "/api/alerts?pageSize=501", null, Code: "badPageSize"),
        ["alerts: page is not a number"] = new(BadRequest, "GET", _ => "/api/alerts?page=lots", null, Code: "invalidParameter"),
        ["distributors: page 0"] = new(BadRequest, "GET", _ => "/api/distributors?page=0", null, Code: "badPage"),
        ["products: page -1"] = new(BadRequest, "GET", _ => "/api/products?page=-1", null, Code: "badPage"),
        ["campaigns: pageSize 100000"] = new(BadRequest, "GET", _ => "/api/campaigns?pageSize=100000", null, Code: "badPageSize"),
        ["policies: pageSize 0"] = new(BadRequest, "GET", _ => "/api/policies?pageSize=0", null, Code: "badPageSize"),
        ["customer orders: page 0"] = new(BadRequest, "GET", w => $"/api/customers/{w.CustomerX}/orders?page=0", null, Code: "badPage"),
        ["reservations: pageSize 0"] = new(BadRequest, "GET", w => $"/api/distributors/{w.DistributorA}/reservations?pageSize=0", null, Code: "badPageSize"),
        ["inventory list: page beyond an int"] = new(BadRequest, "GET", w => $"/api/distributors/{w.DistributorA}/inventory?page=99999999999", null, Code: "invalidParameter"),

        // Alerts and order changes
        ["alerts: acknowledge an unknown alert"] = new(NotFound, "POST", _ => $"/api/alerts/{long.MaxValue}/acknowledge", null, Code: "notFound"),
        ["orders: cancel an unknown order"] = new(NotFound, "POST", _ => "/api/orders/o-00000000000000000000/cancel", _ => new { reason = "x" }, Code: "notFound"),
        ["orders: cancel reason of 5,000 characters"] = new(BadRequest, "POST", _ => "/api/orders/o-00000000000000000000/cancel", _ => new { reason = new string('r', 5000) }),
    };

    private static string NewDistributor(World w) => $"d-{w.Tag}-new";
    private static string NewCustomer(World w) => $"c-{w.Tag}-new";
    private static string NewCampaign(World w) => $"gb-{w.Tag}-new";

    private static Dictionary<string, object?> NewDistributorBody(World w) => new()
    {
        ["id"] = NewDistributor(w), ["name"] = "New distributor", ["regions"] = new[] { Wuhan.City },
        ["location"] = new { lat = 30.5, lon = 114.3 }, ["priority"] = 1, ["dailyCapacity"] = 100,
    };

    private static Dictionary<string, object?> NewCustomerBody(World w) => new()
    {
        ["id"] = NewCustomer(w), ["name"] = "New grower", ["region"] = Wuhan.District, ["location"] = new { lat = 30.5, lon = 114.3 },
    };

    private static Dictionary<string, object?> NewCampaignBody(World w) => With(w.CampaignBody(), "id", NewCampaign(w));

    private static Dictionary<string, object?> With(Dictionary<string, object?> body, string name, object? value) => new(body) { [name] = value };

    private static Dictionary<string, object?> Without(Dictionary<string, object?> body, string name)
    {
        var copy = new Dictionary<string, object?>(body);
        copy.Remove(name);
        return copy;
    }

    private static BadInput Product(HttpStatusCode status, Func<World, object?> body, string? code = null) =>
        new(status, "POST", _ => "/api/products", body, Code: code, Probes: _ => ["/api/products/UREA-NEW"]);

    private static BadInput Distributor(HttpStatusCode status, Func<World, object?> body) =>
        new(status, "POST", _ => "/api/distributors", body, Probes: w => [$"/api/distributors/{NewDistributor(w)}"]);

    private static BadInput Stock(HttpStatusCode status, Func<World, string> distributor, Func<World, string> sku, object body,
        string? code = null, Func<World, Task>? arrange = null) =>
        new(status, "PUT", w => $"/api/distributors/{distributor(w)}/inventory/{sku(w)}", _ => body, Code: code, Arrange: arrange,
            Probes: w => [$"/api/distributors/{distributor(w)}", $"/api/products/{sku(w)}"]);

    private static BadInput Customer(HttpStatusCode status, Func<World, object?> body, string? code = null) =>
        new(status, "POST", _ => "/api/customers", body, Code: code, Probes: w => [$"/api/customers/{NewCustomer(w)}"]);

    private static BadInput Campaign(HttpStatusCode status, Func<World, object?> body, string? code = null) =>
        new(status, "POST", _ => "/api/campaigns", body, Code: code, Probes: w => [$"/api/campaigns/{NewCampaign(w)}"]);

    private static BadInput Order(HttpStatusCode status, object body, Func<World, string>? path = null, Func<string?>? key = null, string? code = null) =>
        new(status, "POST", path ?? (w => $"/api/campaigns/{w.Campaign}/orders"), _ => body, AsCustomer: true,
            Key: key ?? (() => Guid.NewGuid().ToString()), Code: code, Settle: true);

    private static BadInput RegularOrder(HttpStatusCode status, object body, string? code = null) => RegularOrder(status, _ => body, code);

    private static BadInput RegularOrder(HttpStatusCode status, Func<World, object> body, string? code = null) =>
        new(status, "POST", _ => "/api/orders", body, AsCustomer: true, Key: () => Guid.NewGuid().ToString(), Code: code, Settle: true);

    private static BadInput Policy(HttpStatusCode status, Func<World, string> id, object body, string? code = null) =>
        new(status, "PUT", w => $"/api/policies/{id(w)}", _ => body, Code: code, Probes: w => [$"/api/policies/p-{w.Tag}"]);
}
