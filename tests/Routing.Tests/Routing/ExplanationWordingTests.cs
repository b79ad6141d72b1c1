using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Routing.Domain;
using Routing.Domain.Explaining;
using static Routing.Tests.Routing.RoutingScenario;

namespace Routing.Tests.Routing;

/// <summary>The words are rendered from the codes in one place: these pin the sentences ops read, and check that every
/// code is documented (registered for JSON) and has words in both languages.</summary>
public sealed class ExplanationWordingTests
{
    private static readonly JsonSerializerOptions WebJson = new(JsonSerializerDefaults.Web);

    [Fact]
    public void An_order_nobody_can_fill_reads_as_its_cause_in_english_and_chinese()
    {
        var plan = Router.Route(Order(Line(Urea, 30)),
            [Distributor("d-01", (Urea, 5)), Distributor("d-03", (Urea, 12))], Policy(SplitPolicy.WholeOrder));

        Assert.Equal("no eligible distributor has 30 units of UREA-50 (best: d-03 with 12)", plan.Reason);
        var unfillable = Assert.Single(plan.Explanation.Decisions.OfType<Unfillable>());
        Assert.Equal("order unfillable: no eligible distributor has 30 units of UREA-50 (best: d-03 with 12)", unfillable.Text);
        Assert.Equal("订单无法满足：没有符合条件的经销商有 30 件 UREA-50（最多：d-03，12 件）", unfillable.TextZh);
        Assert.Equal("cannot fill the whole order: has 5 of 30 UREA-50", Report(plan, "d-01").Detail);
    }

    [Fact]
    public void A_unit_of_work_is_named_in_its_decisions_and_in_the_reason()
    {
        var order = Order(Line(Urea, 10, group: "A"), Line(Dap, 50, group: "B"));
        var plan = Router.Route(order, [Distributor("d-01", (Urea, 100), (Dap, 12))], Policy(SplitPolicy.ByLineGroup));

        Assert.Equal("group 'B': no eligible distributor has 50 units of DAP-18 (best: d-01 with 12)", plan.Reason);
        Assert.Contains(plan.Explanation.Decisions, d => d.Text.StartsWith("group 'A' → d-01 (rank 1, score ", StringComparison.Ordinal));
        Assert.Contains(plan.Explanation.Decisions, d => d.TextZh.StartsWith("分组 'A' → d-01（排名 1，得分 ", StringComparison.Ordinal));
    }

    [Fact]
    public void A_decision_is_written_as_its_code_with_its_parameters_and_its_words()
    {
        Finding decision = new Assigned(new WorkUnit(WorkUnitKind.Line, Line: 1, Sku: Urea, Quantity: 30), "d-03", new Standing(3, 0.3333), PassedOver: 2);

        var json = JsonNode.Parse(JsonSerializer.Serialize(decision, WebJson))!;

        Assert.Equal("assigned", (string?)json["code"]);
        Assert.Equal("d-03", (string?)json["distributorId"]);
        Assert.Equal(2, (int?)json["passedOver"]);
        Assert.Equal(3, (int?)json["standing"]!["rank"]);
        Assert.Equal("line 1 (30 × UREA-50) → d-03 (rank 3, score 0.3333; ranks 1-2 cannot fill it)", (string?)json["text"]);
        Assert.Equal("assigned", decision.Code);
    }

    public static TheoryData<Type> FindingTypes()
    {
        var data = new TheoryData<Type>();
        foreach (var type in typeof(Finding).Assembly.GetTypes().Where(t => t.IsSubclassOf(typeof(Finding)))) data.Add(type);
        return data;
    }

    [Theory]
    [MemberData(nameof(FindingTypes))]
    public void Every_code_is_registered_under_its_camel_case_name(Type type)
    {
        var registered = typeof(Finding).GetCustomAttributes<JsonDerivedTypeAttribute>().SingleOrDefault(a => a.DerivedType == type);
        Assert.NotNull(registered);
        Assert.Equal(JsonNamingPolicy.CamelCase.ConvertName(type.Name), registered.TypeDiscriminator);
    }
}
