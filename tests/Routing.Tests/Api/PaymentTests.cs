using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using Routing.Api.Auth;

namespace Routing.Tests.Api;

/// <summary>A campaign's payment window (OPERATIONS.md "Payment deadline"): an allocated order owes its total by
/// <c>dueAt</c>; the payment integration (erp) or ops pay it, once per payment id; unpaid at the deadline it is
/// cancelled (<c>paymentExpired</c>) and gives back its stock, campaign units and the customer's limit; a paid order
/// cancelled is due a refund.</summary>
[Collection(ApiCollection.Name)]
public sealed class PaymentTests(ApiFactory api)
{
    private async Task<(World World, string Campaign)> CampaignWithWindowAsync(int seconds)
    {
        var world = await World.CreateAsync(api);
        var body = world.CampaignBody();
        var campaign = $"{world.Campaign}-pay";
        body["id"] = campaign;
        body["paymentWindowSeconds"] = seconds;
        var created = (await world.Ops.PostJsonAsync("/api/campaigns", body)).Expect(HttpStatusCode.Created);
        Assert.Equal(seconds, (int)created["paymentWindowSeconds"]!);
        return (world, campaign);
    }

    private static async Task<JsonNode> PlaceAsync(World world, string campaign, string customer, int quantity) =>
        (await world.AsCustomer(customer).PostJsonAsync($"/api/campaigns/{campaign}/orders", new { quantity }, Guid.NewGuid().ToString()))
            .Expect(HttpStatusCode.Created);

    [Fact]
    public async Task An_order_is_paid_once_in_full_and_a_paid_order_cancelled_is_refunded_once()
    {
        var (world, campaign) = await CampaignWithWindowAsync(3600);
        var order = await PlaceAsync(world, campaign, world.CustomerX, 3);
        var id = (string)order["orderId"]!;
        Assert.Equal("Pending", (string?)order["payment"]!["status"]);
        Assert.Equal(354m, (decimal)order["payment"]!["amount"]!); // 3 × 118
        var placedAt = DateTimeOffset.Parse((string)order["placedAt"]!, CultureInfo.InvariantCulture);
        Assert.Equal(placedAt.AddHours(1), DateTimeOffset.Parse((string)order["payment"]!["dueAt"]!, CultureInfo.InvariantCulture));

        var erp = api.Client(api.Token(Roles.Erp));
        Assert.Equal("amountMismatch", (string?)(await erp.PostJsonAsync($"/api/orders/{id}/payment", new { paymentId = "pay-1", amount = 353.99m }))
            .ExpectProblem(HttpStatusCode.UnprocessableEntity)["code"]);
        // A customer cannot mark its own order paid; nor can a distributor.
        (await world.AsCustomer(world.CustomerX).PostJsonAsync($"/api/orders/{id}/payment", new { paymentId = "pay-1", amount = 354m })).ExpectProblem(HttpStatusCode.Forbidden);
        (await world.AsDistributor(world.DistributorA).PostJsonAsync($"/api/orders/{id}/payment", new { paymentId = "pay-1", amount = 354m })).ExpectProblem(HttpStatusCode.Forbidden);
        Assert.Equal("Pending", (string?)(await world.Ops.GetJsonAsync($"/api/orders/{id}")).Expect(HttpStatusCode.OK)["payment"]!["status"]);

        var paid = (await erp.PostJsonAsync($"/api/orders/{id}/payment", new { paymentId = "pay-1", amount = 354m })).Expect(HttpStatusCode.OK);
        Assert.Equal(("Paid", "pay-1"), ((string?)paid["payment"]!["status"], (string?)paid["payment"]!["paymentId"]));
        var again = (await erp.PostJsonAsync($"/api/orders/{id}/payment", new { paymentId = "pay-1", amount = 354m })).Expect(HttpStatusCode.OK);
        Assert.Equal(paid["payment"]!.ToJsonString(), again["payment"]!.ToJsonString());
        Assert.Equal("alreadyPaid", (string?)(await erp.PostJsonAsync($"/api/orders/{id}/payment", new { paymentId = "pay-2", amount = 354m }))
            .ExpectProblem(HttpStatusCode.Conflict)["code"]);
        Assert.Equal("noRefundDue", (string?)(await erp.PostJsonAsync($"/api/orders/{id}/refund", new { refundId = "ref-1" }))
            .ExpectProblem(HttpStatusCode.Conflict)["code"]);

        var cancelled = (await world.Ops.PostJsonAsync($"/api/orders/{id}/cancel", new { reason = "the customer called" })).Expect(HttpStatusCode.OK);
        Assert.Equal(("Cancelled", "byOps", "RefundDue"), ((string?)cancelled["status"], (string?)cancelled["cancelReason"], (string?)cancelled["payment"]!["status"]));
        var refunded = (await erp.PostJsonAsync($"/api/orders/{id}/refund", new { refundId = "ref-1" })).Expect(HttpStatusCode.OK);
        Assert.Equal(("Refunded", "ref-1"), ((string?)refunded["payment"]!["status"], (string?)refunded["payment"]!["refundId"]));
        (await erp.PostJsonAsync($"/api/orders/{id}/refund", new { refundId = "ref-1" })).Expect(HttpStatusCode.OK);
        Assert.Equal("alreadyRefunded", (string?)(await erp.PostJsonAsync($"/api/orders/{id}/refund", new { refundId = "ref-2" }))
            .ExpectProblem(HttpStatusCode.Conflict)["code"]);
        // The ERP reads the order it bills; it cannot cancel it.
        (await erp.GetJsonAsync($"/api/orders/{id}")).Expect(HttpStatusCode.OK);
        (await erp.PostJsonAsync($"/api/orders/{id}/cancel", new { })).ExpectProblem(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task An_order_of_a_campaign_without_a_window_owes_nothing_payable()
    {
        var world = await World.CreateAsync(api);
        var order = (await world.OrderAsync(world.CustomerX, 2)).Expect(HttpStatusCode.Created);
        Assert.Null(order["payment"]);
        Assert.Equal("noPaymentDue", (string?)(await world.Ops.PostJsonAsync($"/api/orders/{order["orderId"]}/payment", new { paymentId = "pay-1", amount = 236m }))
            .ExpectProblem(HttpStatusCode.Conflict)["code"]);
        (await world.Ops.PostJsonAsync($"/api/orders/o-none/payment", new { paymentId = "pay-1", amount = 1m })).ExpectProblem(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task An_order_not_paid_by_its_deadline_is_cancelled_and_gives_back_its_stock_units_and_limit()
    {
        var (world, campaign) = await CampaignWithWindowAsync(2);
        var unpaid = await PlaceAsync(world, campaign, world.CustomerX, World.PerCustomerLimit);
        var paid = await PlaceAsync(world, campaign, world.CustomerY, 4);
        (await world.Ops.PostJsonAsync($"/api/orders/{paid["orderId"]}/payment", new { paymentId = $"pay-{paid["orderId"]}", amount = 4 * 118m })).Expect(HttpStatusCode.OK);
        // At its limit, the customer cannot buy more while the unpaid order holds it.
        (await world.AsCustomer(world.CustomerX).PostJsonAsync($"/api/campaigns/{campaign}/orders", new { quantity = 1 }, Guid.NewGuid().ToString()))
            .ExpectProblem(HttpStatusCode.UnprocessableEntity);

        var expired = await Eventually.UntilAsync(async () => (await world.Ops.GetJsonAsync($"/api/orders/{unpaid["orderId"]}")).Expect(HttpStatusCode.OK),
            o => (string?)o["status"] == "Cancelled", "the unpaid order to be cancelled at its deadline", within: TimeSpan.FromSeconds(30));
        Assert.Equal(("paymentExpired", "Expired"), ((string?)expired["cancelReason"], (string?)expired["payment"]!["status"]));
        var kept = (await world.Ops.GetJsonAsync($"/api/orders/{paid["orderId"]}")).Expect(HttpStatusCode.OK);
        Assert.Equal(("Allocated", "Paid"), ((string?)kept["status"], (string?)kept["payment"]!["status"]));

        // Everything it held is back: the stock, the campaign's units, and the customer's limit (it can buy the limit again).
        Assert.Equal(4, await world.ReservedAsync());
        await Eventually.UntilAsync(async () => (await world.Ops.GetJsonAsync($"/api/campaigns/{campaign}")).Expect(HttpStatusCode.OK),
            c => (int)c["sold"]! == 4, "the campaign's sold to count only the paid order");
        Assert.Equal("Allocated", (string?)(await PlaceAsync(world, campaign, world.CustomerX, World.PerCustomerLimit))["status"]);
    }

    [Fact]
    public async Task An_erp_token_reaches_every_read_without_a_server_error_and_changes_nothing_but_payments()
    {
        var erp = api.Client(api.Token(Roles.Erp));
        var document = (await api.Client(null).GetJsonAsync("/openapi/v1.json")).Expect(HttpStatusCode.OK);
        var reads = 0;
        foreach (var (path, item) in document["paths"]!.AsObject())
        {
            if (item!["get"] is null) continue;
            var concrete = System.Text.RegularExpressions.Regex.Replace(path, "{[^}]+}", "x-erp");
            var reply = await erp.GetJsonAsync(concrete);
            Assert.True((int)reply.Status < 500, $"GET {concrete} as erp answered {reply}");
            reads++;
        }
        Assert.True(reads > 10);
        (await erp.PostJsonAsync("/api/distributors", new { })).ExpectProblem(HttpStatusCode.Forbidden);
        (await erp.PutJsonAsync("/api/policies/p-erp", new { })).ExpectProblem(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task Payments_expiries_and_new_orders_racing_on_the_same_stock_never_oversell_or_lose_a_payment()
    {
        var world = await World.CreateAsync(api, stockA: 20, stockB: 20);
        var body = world.CampaignBody();
        var campaign = $"{world.Campaign}-race";
        body["id"] = campaign;
        body["paymentWindowSeconds"] = 1;
        (await world.Ops.PostJsonAsync("/api/campaigns", body)).Expect(HttpStatusCode.Created);
        var customers = Enumerable.Range(0, 8).Select(i => $"c-{world.Tag}-r{i}").ToList();
        foreach (var customer in customers)
            (await world.Ops.PostJsonAsync("/api/customers", World.CustomerBody(customer, world.DistributorA))).Expect(HttpStatusCode.Created);
        var erp = api.Client(api.Token(Roles.Erp));
        var paidAnswers = new System.Collections.Concurrent.ConcurrentBag<string>();
        var closedAnswers = new System.Collections.Concurrent.ConcurrentBag<string>();
        var orders = new System.Collections.Concurrent.ConcurrentBag<string>();

        // Eight customers keep buying 5 units (40 in stock) for 4 s; every other order is paid, some just at the deadline.
        var until = DateTimeOffset.UtcNow.AddSeconds(4);
        await Task.WhenAll(customers.Select(async (customer, c) =>
        {
            var random = new Random(c);
            for (var n = 0; DateTimeOffset.UtcNow < until; n++)
            {
                var reply = await world.AsCustomer(customer).PostJsonAsync($"/api/campaigns/{campaign}/orders", new { quantity = 5 }, $"race-{n}");
                if (reply.Status != HttpStatusCode.Created) continue; // the customer's limit, reached with orders still unpaid
                var order = reply.Json;
                var id = (string)order["orderId"]!;
                orders.Add(id);
                if ((string?)order["status"] != "Allocated" || (c + n) % 2 == 1) continue; // half the customers leave their first order unpaid, so some always expire
                await Task.Delay(random.Next(300, 1100)); // before and around the 1 s deadline
                var pay = await erp.PostJsonAsync($"/api/orders/{id}/payment", new { paymentId = $"pay-{id}", amount = 5 * 118m });
                if (pay.Status == HttpStatusCode.OK) paidAnswers.Add(id);
                else if ((string?)pay.ExpectProblem(HttpStatusCode.Conflict)["code"] == "paymentClosed") closedAnswers.Add(id);
                else Assert.Fail($"paying {id}: {pay}");
            }
        }));

        var views = await Eventually.UntilAsync(async () => await Task.WhenAll(orders.Select(async id => (await world.Ops.GetJsonAsync($"/api/orders/{id}")).Expect(HttpStatusCode.OK))),
            all => all.All(o => (string?)o["payment"]?["status"] != "Pending"), "every unpaid order to expire", within: TimeSpan.FromSeconds(30));
        foreach (var o in views)
        {
            var (id, status, payment) = ((string)o["orderId"]!, (string?)o["status"], (string?)o["payment"]?["status"]);
            Assert.True((status, payment) is ("Allocated", "Paid") or ("Cancelled", "Expired") or ("Rejected", null), $"{id}: {status} with payment {payment}");
            if (paidAnswers.Contains(id)) Assert.Equal("Paid", payment);
            if (closedAnswers.Contains(id)) Assert.Equal("Expired", payment);
        }
        Assert.NotEmpty(paidAnswers);
        Assert.Contains(views, o => (string?)o["payment"]?["status"] == "Expired");
        var held = views.Where(o => (string?)o["status"] == "Allocated").Sum(o => (int)o["lines"]![0]!["quantity"]!);
        Assert.Equal(held, await world.ReservedAsync());
        Assert.True(held <= 40, $"{held} units held of 40 in stock");
        await Eventually.UntilAsync(async () => (await world.Ops.GetJsonAsync($"/api/campaigns/{campaign}")).Expect(HttpStatusCode.OK),
            c => (int)c["sold"]! == held, $"the campaign's sold to be the {held} units of paid orders");
    }
}
