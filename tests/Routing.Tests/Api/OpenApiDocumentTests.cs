using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using Routing.Api.Auth;
using Routing.Bench;

namespace Routing.Tests.Api;

/// <summary>The OpenAPI document is the contract outside clients (and the ops console's types) are generated from: the
/// committed copy is what the server serves, and what it says about access is what the server does.
/// (Redocly's recommended rules are checked on it by web-ops/e2e/openapi.test.mjs.)</summary>
[Collection(ApiCollection.Name)]
public sealed class OpenApiDocumentTests(ApiFactory api)
{
    /// <summary>Set to 1 to write the served document over the committed one instead of comparing them.</summary>
    private const string WriteSetting = "ROUTING_WRITE_OPENAPI";

    private static readonly string[] AllRoles = [Roles.Ops, Roles.Distributor, Roles.Customer, Roles.Erp, Roles.Sales];
    private static readonly string[] ProblemMembers = ["status", "title", "code"];

    [Fact]
    public async Task The_committed_document_is_the_one_the_server_serves()
    {
        var served = (await api.Client(token: null).GetJsonAsync("/openapi/v1.json")).Text;
        var committedPath = Path.Combine(BenchOptions.FindRepoRoot(AppContext.BaseDirectory), "api", "openapi.json");
        if (Environment.GetEnvironmentVariable(WriteSetting) == "1")
        {
            await File.WriteAllTextAsync(committedPath, served.ReplaceLineEndings("\n") + "\n");
            return;
        }
        var committed = File.Exists(committedPath) ? await File.ReadAllTextAsync(committedPath) : "null";
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(committed), JsonNode.Parse(served)),
            $"api/openapi.json is not what the server serves at /openapi/v1.json. Regenerate it with " +
            $"`{WriteSetting}=1 dotnet test tests/Routing.Tests -c Release --filter FullyQualifiedName~OpenApiDocumentTests`, " +
            "check the difference (it is the public contract) and commit it; the console's build then regenerates web-ops/src/api-types.ts.");
    }

    [Fact]
    public async Task An_operation_declares_the_bearer_scheme_exactly_when_it_answers_401_without_a_token()
    {
        var anonymous = api.Client(token: null);
        var protectedCount = 0;
        foreach (var op in await OperationsAsync())
        {
            var reply = await anonymous.SendJsonAsync(op.Method, op.Path);
            var declared = op.Operation["security"]?.AsArray() is { Count: > 0 } security && security.Any(s => s!.AsObject().ContainsKey("bearer"));
            Assert.True(declared == (reply.Status == HttpStatusCode.Unauthorized),
                $"{op}: declares bearer security {declared}, but without a token it answered {reply}");
            if (declared)
            {
                protectedCount++;
                Assert.True(op.Responses.ContainsKey("401"), $"{op} needs a token but does not declare its 401 answer");
            }
        }
        Assert.True(protectedCount > 0, "no operation declares the bearer scheme");
    }

    [Fact]
    public async Task An_operation_that_lists_roles_refuses_every_other_role_with_403()
    {
        var roleBound = 0;
        foreach (var op in await OperationsAsync())
        {
            var roles = op.Operation["security"]?.AsArray().SelectMany(s => s!["bearer"]?.AsArray() ?? []).Select(r => (string)r!).ToList() ?? [];
            if (roles.Count == 0) continue;
            roleBound++;
            Assert.True(op.Responses.ContainsKey("403"), $"{op} requires {string.Join("/", roles)} but does not declare its 403 answer");
            foreach (var role in AllRoles.Except(roles))
            {
                // Refused by the authorization middleware before the handler runs, so calling it changes nothing.
                var reply = await api.Client(api.Token(role, distributorId: "d-openapi", customerId: "c-openapi", salesId: "s-openapi")).SendJsonAsync(op.Method, op.Path);
                Assert.True(reply.Status == HttpStatusCode.Forbidden, $"{op} lists roles {string.Join("/", roles)}, but a {role} token got {reply}");
            }
        }
        Assert.True(roleBound > 0, "no operation lists the roles it requires");
    }

    [Fact]
    public async Task Every_operation_has_an_id_a_summary_a_success_schema_and_problem_documents_for_its_refusals()
    {
        var document = await DocumentAsync();
        var schemas = document["components"]?["schemas"]?.AsObject() ?? [];
        foreach (var name in new[] { "ProblemDetails", "HttpValidationProblemDetails" })
        {
            Assert.True(schemas.ContainsKey(name), $"the document has no {name} schema");
            var required = schemas[name]!["required"]?.AsArray().Select(r => (string)r!).ToList() ?? [];
            Assert.True(ProblemMembers.All(required.Contains), $"{name} does not require status, title and code");
        }
        foreach (var op in await OperationsAsync())
        {
            Assert.False(string.IsNullOrEmpty((string?)op.Operation["operationId"]), $"{op} has no operationId");
            Assert.False(string.IsNullOrEmpty((string?)op.Operation["summary"]), $"{op} has no summary");
            Assert.Contains(op.Responses, r => r.Key.StartsWith('2') && r.Value!["content"]?["application/json"]?["schema"] is not null);
            foreach (var (status, response) in op.Responses.Where(r => int.Parse(r.Key, CultureInfo.InvariantCulture) >= 400))
            {
                var schema = (string?)response!["content"]?["application/problem+json"]?["schema"]?["$ref"];
                Assert.True(schema is "#/components/schemas/ProblemDetails" or "#/components/schemas/HttpValidationProblemDetails",
                    $"{op} answers {status} with {response.ToJsonString()}, not a problem document");
            }
        }
    }

    [Fact]
    public async Task Placing_an_order_declares_its_refusals_and_429_with_Retry_After()
    {
        var document = await DocumentAsync();
        foreach (var path in new[] { "/api/campaigns/{campaignId}/orders", "/api/orders" })
        {
            var responses = document["paths"]![path]!["post"]!["responses"]!.AsObject();
            foreach (var status in new[] { "400", "401", "403", "404", "422", "429", "503" })
                Assert.True(responses.ContainsKey(status), $"POST {path} does not declare {status}");
            Assert.NotNull(responses["429"]!["headers"]?["Retry-After"]);
            Assert.Contains("`rateLimited`", (string?)responses["429"]!["description"]);
        }
        Assert.Contains("`soldOut`", (string?)document["paths"]!["/api/campaigns/{campaignId}/orders"]!["post"]!["responses"]!["409"]!["description"]);
    }

    [Fact]
    public async Task The_API_reference_page_is_served_without_a_token_at_docs_and_reads_the_document()
    {
        var page = await api.Client(token: null).GetJsonAsync("/docs/");
        Assert.True(page.Status == HttpStatusCode.OK, $"/docs/ answered {page}");
        Assert.Equal("text/html", page.ContentType);
        Assert.Contains("\"url\":\"openapi/v1.json\"", page.Text);
        Assert.Contains("\"telemetry\":false", page.Text);
        var script = await api.Client(token: null).GetJsonAsync("/docs/scalar.js");
        Assert.True(script.Status == HttpStatusCode.OK && script.Text.Length > 10_000, $"/docs/scalar.js answered {script.Code}, {script.Text.Length} characters");
    }

    private sealed record DocumentedOperation(HttpMethod Method, string Path, JsonObject Operation)
    {
        public JsonObject Responses => Operation["responses"]!.AsObject();
        public override string ToString() => $"{Method} {Path} ({(string?)Operation["operationId"]})";
    }

    private async Task<JsonNode> DocumentAsync() =>
        (await api.Client(token: null).GetJsonAsync("/openapi/v1.json")).Expect(HttpStatusCode.OK);

    /// <summary>Every operation of the document, with its path parameters filled in (a number where the route wants one).</summary>
    private async Task<List<DocumentedOperation>> OperationsAsync()
    {
        var document = await DocumentAsync();
        var operations = new List<DocumentedOperation>();
        foreach (var (template, item) in document["paths"]!.AsObject())
            foreach (var (method, node) in item!.AsObject())
            {
                var operation = node!.AsObject();
                var path = template;
                foreach (var parameter in operation["parameters"]?.AsArray() ?? [])
                    if ((string?)parameter!["in"] == "path")
                        path = path.Replace($"{{{(string?)parameter["name"]}}}",
                            (string?)parameter["schema"]?["type"] == "integer" ? "1" : "openapi-probe");
                operations.Add(new DocumentedOperation(new HttpMethod(method.ToUpperInvariant()), path, operation));
            }
        Assert.NotEmpty(operations);
        return operations;
    }
}
