using System.Collections.Concurrent;
using System.Net;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Routing.Domain;
using Routing.Grains.Infrastructure;

namespace Routing.Tests.Api;

/// <summary>Order review (OPERATIONS.md "Review holds"): an order over a review rule is reserved as usual but held
/// (<c>OnHold</c>, with typed holds) until ops approve it (→ Allocated) or reject it (→ Cancelled <c>rejectedInReview</c>,
/// everything given back), or it is auto-rejected when undecided; a distributor cannot confirm it meanwhile. The rules
/// are global, so every test here turns them off again when it ends.</summary>
[Collection(ApiCollection.Name)]
public sealed class ReviewTests(ApiFactory api)
{
    private static readonly object Off = new { maxUnits = (int?)null, maxAmount = (decimal?)null, firstOrderMaxUnits = (int?)null, autoRejectAfterSeconds = (int?)null };

    /// <summary>Sets the rules and waits until the host's placements read them (they are cached for a second).</summary>
    private async Task WithRulesAsync(World world, ReviewSettings rules, Func<Task> test)
    {
        await SetAsync(world, rules);
        try
        {
            await test();
        }
        finally
        {
            await SetAsync(world, ReviewSettings.Off);
        }
    }

    private async Task SetAsync(World world, ReviewSettings rules)
    {
        var answer = (await world.Ops.PutJsonAsync("/api/review-rules", new
        {
            maxUnits = rules.MaxUnits,
            maxAmount = rules.MaxAmount,
            firstOrderMaxUnits = rules.FirstOrderMaxUnits,
            autoRejectAfterSeconds = rules.AutoRejectAfterSeconds,
        })).Expect(HttpStatusCode.OK);
        Assert.Equal(rules.MaxUnits, (int?)answer["maxUnits"]);
        var readModel = api.Services.GetRequiredService<RoutingReadModel>();
        await Eventually.UntilAsync(readModel.GetReviewRulesAsync, r => r == rules, "placements to read the new review rules");
    }

    private static async Task<JsonNode> OrderAsync(World world, string customer, int quantity) =>
        (await world.OrderAsync(customer, quantity)).Expect(HttpStatusCode.Created);

    [Fact]
    public async Task An_order_over_a_rule_is_reserved_but_held_until_approved_and_no_distributor_can_confirm_it_meanwhile()
    {
        var world = await World.CreateAsync(api);
        await WithRulesAsync(world, new ReviewSettings(MaxUnits: 5, null, null, null), async () =>
        {
            var small = await OrderAsync(world, world.CustomerX, 5);
            Assert.Equal("Allocated", (string?)small["status"]);
            Assert.Empty(small["holds"]!.AsArray());

            var big = await OrderAsync(world, world.CustomerY, 6);
            var id = (string)big["orderId"]!;
            Assert.Equal("OnHold", (string?)big["status"]);
            var hold = big["holds"]!.AsArray().Single()!;
            Assert.Equal("maxUnits", (string?)hold["kind"]);
            Assert.Contains("6 units", (string?)hold["reason"]);
            Assert.Null(big["expiresAt"]); // no auto-rejection: it waits
            Assert.Equal(11, await world.ReservedAsync()); // held orders are reserved as usual

            var distributor = (string)big["allocations"]![0]!["distributorId"]!;
            Assert.Equal("notAllowed", (string?)(await world.AsDistributor(distributor).PostJsonAsync($"/api/orders/{id}/confirm", null))
                .ExpectProblem(HttpStatusCode.Conflict)["code"]);
            // Only ops review.
            (await world.AsCustomer(world.CustomerY).PostJsonAsync($"/api/orders/{id}/approve", null)).ExpectProblem(HttpStatusCode.Forbidden);
            (await world.AsDistributor(distributor).GetJsonAsync("/api/reviews")).ExpectProblem(HttpStatusCode.Forbidden);

            var queue = (await world.Ops.GetJsonAsync("/api/reviews?pageSize=200")).Expect(HttpStatusCode.OK).AsArray();
            Assert.Contains(queue, o => (string?)o!["orderId"] == id);
            Assert.All(queue, o => Assert.Equal("OnHold", (string?)o!["status"]));
            var placed = queue.Select(o => (DateTimeOffset)o!["placedAt"]!).ToList();
            Assert.Equal(placed.Order(), placed); // oldest first

            var approved = (await world.Ops.PostJsonAsync($"/api/orders/{id}/approve", null)).Expect(HttpStatusCode.OK);
            Assert.Equal("Allocated", (string?)approved["status"]);
            Assert.Single(approved["holds"]!.AsArray()); // why it was held stays on the order
            (await world.Ops.PostJsonAsync($"/api/orders/{id}/approve", null)).Expect(HttpStatusCode.OK); // a repeat is harmless
            Assert.Equal("notAllowed", (string?)(await world.Ops.PostJsonAsync($"/api/orders/{id}/reject", new { reason = "too late" }))
                .ExpectProblem(HttpStatusCode.Conflict)["code"]);
            Assert.Equal(11, await world.ReservedAsync());
            Assert.Equal("Confirmed", (string?)(await world.AsDistributor(distributor).PostJsonAsync($"/api/orders/{id}/confirm", null)).Expect(HttpStatusCode.OK)["status"]);
            Assert.DoesNotContain((await world.Ops.GetJsonAsync("/api/reviews?pageSize=200")).Expect(HttpStatusCode.OK).AsArray(), o => (string?)o!["orderId"] == id);
        });
    }

    [Fact]
    public async Task A_rejected_order_gives_back_everything_and_a_bulk_approval_answers_for_each_order()
    {
        var world = await World.CreateAsync(api);
        await WithRulesAsync(world, new ReviewSettings(MaxUnits: 3, null, null, null), async () =>
        {
            var rejected = (string)(await OrderAsync(world, world.CustomerX, World.PerCustomerLimit))["orderId"]!;
            var first = (string)(await OrderAsync(world, world.CustomerY, 4))["orderId"]!;
            var second = (string)(await OrderAsync(world, world.CustomerY, 5))["orderId"]!;
            Assert.Equal(World.PerCustomerLimit + 9, await world.ReservedAsync());

            var cancelled = (await world.Ops.PostJsonAsync($"/api/orders/{rejected}/reject", new { reason = "unusual quantity for this grower" })).Expect(HttpStatusCode.OK);
            Assert.Equal(("Cancelled", "rejectedInReview", "unusual quantity for this grower"),
                ((string?)cancelled["status"], (string?)cancelled["cancelReason"], (string?)cancelled["reason"]));
            (await world.Ops.PostJsonAsync($"/api/orders/{rejected}/reject", new { reason = "again" })).Expect(HttpStatusCode.OK); // a repeat is harmless
            Assert.Equal(9, await world.ReservedAsync());
            await world.SettleQuotaAsync();
            await world.CampaignSoldAsync(9);
            // The customer's limit is back: it can buy up to it again (held again, as it is over the rule).
            Assert.Equal("OnHold", (string?)(await OrderAsync(world, world.CustomerX, World.PerCustomerLimit))["status"]);

            var answers = (await world.Ops.PostJsonAsync("/api/reviews/approve", new { orderIds = new[] { first, rejected, "o-none", second, first } }))
                .Expect(HttpStatusCode.OK).AsArray();
            Assert.Equal([(first, "approved"), (rejected, "notAllowed"), ("o-none", "notFound"), (second, "approved")],
                answers.Select(a => ((string)a!["orderId"]!, (string)a["outcome"]!)).ToList());
            Assert.Equal("Allocated", (string?)answers[0]!["status"]);
            Assert.Contains("Cancelled", (string?)answers[1]!["detail"]);

            // Bad input changes nothing.
            (await world.Ops.PostJsonAsync("/api/reviews/approve", new { orderIds = Array.Empty<string>() })).ExpectProblem(HttpStatusCode.BadRequest);
            (await world.Ops.PostJsonAsync("/api/reviews/approve", new { orderIds = Enumerable.Range(0, 201).Select(i => $"o-{i}").ToArray() })).ExpectProblem(HttpStatusCode.BadRequest);
            (await world.Ops.PostJsonAsync($"/api/orders/{second}/reject", new { })).ExpectProblem(HttpStatusCode.BadRequest);
        });
    }

    [Fact]
    public async Task A_first_order_and_an_order_over_the_amount_are_held_with_each_rule_they_break()
    {
        var world = await World.CreateAsync(api);
        await WithRulesAsync(world, new ReviewSettings(null, MaxAmount: 300m, FirstOrderMaxUnits: 2, null), async () =>
        {
            // 3 × 118 = 354: over the amount, and over what a first order may have.
            var first = await OrderAsync(world, world.CustomerX, 3);
            Assert.Equal("OnHold", (string?)first["status"]);
            Assert.Equal(["maxAmount", "firstOrder"], first["holds"]!.AsArray().Select(h => (string)h!["kind"]!).ToList());
            // The customer's second order is no longer its first; 2 × 118 = 236 is under the amount.
            Assert.Equal("Allocated", (string?)(await OrderAsync(world, world.CustomerX, 2))["status"]);
            // Another customer's first order within the first-order limit passes.
            Assert.Equal("Allocated", (string?)(await OrderAsync(world, world.CustomerY, 2))["status"]);
        });
    }

    [Fact]
    public async Task An_order_left_undecided_is_rejected_after_the_rules_time_and_gives_back_its_stock()
    {
        var world = await World.CreateAsync(api);
        await WithRulesAsync(world, new ReviewSettings(MaxUnits: 1, null, null, AutoRejectAfterSeconds: 1), async () =>
        {
            var held = await OrderAsync(world, world.CustomerX, 7);
            Assert.Equal("OnHold", (string?)held["status"]);
            var placedAt = (DateTimeOffset)held["placedAt"]!;
            Assert.Equal(placedAt.AddSeconds(1), (DateTimeOffset)held["expiresAt"]!);
            var approvedInTime = (string)(await OrderAsync(world, world.CustomerY, 2))["orderId"]!;
            (await world.Ops.PostJsonAsync($"/api/orders/{approvedInTime}/approve", null)).Expect(HttpStatusCode.OK);

            var rejected = await Eventually.UntilAsync(async () => (await world.Ops.GetJsonAsync($"/api/orders/{held["orderId"]}")).Expect(HttpStatusCode.OK),
                o => (string?)o["status"] == "Cancelled", "the undecided order to be auto-rejected", within: TimeSpan.FromSeconds(30));
            Assert.Equal("rejectedInReview", (string?)rejected["cancelReason"]);
            Assert.Null(rejected["expiresAt"]);
            Assert.Equal("Allocated", (string?)(await world.Ops.GetJsonAsync($"/api/orders/{approvedInTime}")).Expect(HttpStatusCode.OK)["status"]);
            Assert.Equal(2, await world.ReservedAsync());
        });
    }

    [Fact]
    public async Task The_rules_are_ops_only_and_refuse_a_missing_field_a_string_for_a_number_or_a_limit_below_one()
    {
        var world = await World.CreateAsync(api);
        (await world.AsCustomer(world.CustomerX).GetJsonAsync("/api/review-rules")).ExpectProblem(HttpStatusCode.Forbidden);
        (await world.AsCustomer(world.CustomerX).PutJsonAsync("/api/review-rules", Off)).ExpectProblem(HttpStatusCode.Forbidden);
        (await world.Ops.PutJsonAsync("/api/review-rules", new { maxUnits = 5, maxAmount = (decimal?)null, firstOrderMaxUnits = (int?)null })).ExpectProblem(HttpStatusCode.BadRequest);
        (await world.Ops.PutJsonAsync("/api/review-rules", new { maxUnits = "5", maxAmount = (decimal?)null, firstOrderMaxUnits = (int?)null, autoRejectAfterSeconds = (int?)null })).ExpectProblem(HttpStatusCode.BadRequest);
        (await world.Ops.PutJsonAsync("/api/review-rules", new { maxUnits = 0, maxAmount = (decimal?)null, firstOrderMaxUnits = (int?)null, autoRejectAfterSeconds = (int?)null })).ExpectProblem(HttpStatusCode.BadRequest);
        var rules = (await world.Ops.GetJsonAsync("/api/review-rules")).Expect(HttpStatusCode.OK);
        Assert.Equal(4, rules.AsObject().Count);
        Assert.All(rules.AsObject(), p => Assert.Null(p.Value)); // nothing changed: every rule still off
    }

    [Fact]
    public async Task Rejections_auto_rejections_approvals_and_new_orders_racing_on_the_same_stock_never_oversell()
    {
        var world = await World.CreateAsync(api, stockA: 20, stockB: 20);
        var customers = Enumerable.Range(0, 8).Select(i => $"c-{world.Tag}-v{i}").ToList();
        foreach (var customer in customers)
            (await world.Ops.PostJsonAsync("/api/customers", World.CustomerBody(customer, world.DistributorA))).Expect(HttpStatusCode.Created);
        var orders = new ConcurrentBag<string>();
        var decided = new ConcurrentDictionary<string, string>();
        await WithRulesAsync(world, new ReviewSettings(MaxUnits: 3, null, null, AutoRejectAfterSeconds: 1), async () =>
        {
            // Eight customers keep buying 2 or 4 units (40 in stock) for 4 s; ops approve or reject some held orders at
            // once, around the 1 s auto-rejection, and leave the rest to it.
            var until = DateTimeOffset.UtcNow.AddSeconds(4);
            await Task.WhenAll(customers.Select(async (customer, c) =>
            {
                var random = new Random(c);
                for (var n = 0; DateTimeOffset.UtcNow < until; n++)
                {
                    var reply = await world.AsCustomer(customer).PostJsonAsync($"/api/campaigns/{world.Campaign}/orders", new { quantity = n % 2 == 0 ? 4 : 2 }, $"race-{n}");
                    if (reply.Status != HttpStatusCode.Created) continue; // the customer's limit or the campaign's cap
                    var id = (string)reply.Json["orderId"]!;
                    orders.Add(id);
                    // The first customer's held orders (its first is held: 8 × 4 units fit the 40 in stock) and every
                    // third of the others' are left to the auto-rejection, however slowly the machine lets them come.
                    if ((string?)reply.Json["status"] != "OnHold" || n % 3 == 2 || c == 0) continue;
                    await Task.Delay(random.Next(500, 1200));
                    var decision = n % 3 == 0 ? "approve" : "reject";
                    var answer = await world.Ops.PostJsonAsync($"/api/orders/{id}/{decision}", decision == "reject" ? new { reason = "race" } : null);
                    if (answer.Status == HttpStatusCode.OK) decided[id] = decision;
                    else Assert.Equal("notAllowed", (string?)answer.ExpectProblem(HttpStatusCode.Conflict)["code"]); // auto-rejected first
                }
            }));
        });

        var views = await Eventually.UntilAsync(async () => await Task.WhenAll(orders.Select(async id => (await world.Ops.GetJsonAsync($"/api/orders/{id}")).Expect(HttpStatusCode.OK))),
            all => all.All(o => (string?)o["status"] != "OnHold"), "every held order to be decided", within: TimeSpan.FromSeconds(30));
        foreach (var o in views)
        {
            var (id, status, reason) = ((string)o["orderId"]!, (string?)o["status"], (string?)o["cancelReason"]);
            Assert.True((status, reason) is ("Allocated", null) or ("Cancelled", "rejectedInReview") or ("Rejected", null), $"{id}: {status} ({reason})");
            if (decided.TryGetValue(id, out var decision)) Assert.Equal(decision == "approve" ? "Allocated" : "Cancelled", status);
        }
        Assert.Contains(views, o => (string?)o["cancelReason"] == "rejectedInReview" && !decided.ContainsKey((string)o["orderId"]!)); // some auto-rejected
        Assert.Contains(decided.Values, d => d == "approve");
        var held = views.Where(o => (string?)o["status"] == "Allocated").Sum(o => (int)o["lines"]![0]!["quantity"]!);
        Assert.Equal(held, await world.ReservedAsync());
        Assert.True(held <= 40, $"{held} units held of 40 in stock");
        await world.SettleQuotaAsync();
        await world.CampaignSoldAsync(held);
    }
}
