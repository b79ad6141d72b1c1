using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Infrastructure;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.OpenApi;

namespace Routing.Api.OpenApi;

/// <summary>Each operation's security and problem answers.
/// <list type="bullet">
/// <item>Security comes from the same authorization metadata and policies the authorization middleware enforces (the
/// endpoint's policies, else the fallback policy), so the document cannot claim an access rule the server does not apply.
/// The roles are listed in the requirement (OpenAPI 3.1 allows role names for non-OAuth schemes); anonymous operations
/// declare none. A protected operation may answer 401; one that needs more than a signed-in caller (a role) 403.</item>
/// <item>Every change may meet a concurrent write to the same grain (409 <c>writeConflict</c>), and any operation a
/// database that does not answer (503 <c>storageUnavailable</c>); both from StorageExceptionHandler.</item>
/// <item>Every 4xx/5xx answer is an <c>application/problem+json</c> <c>ProblemDetails</c> (the validation variant for a
/// 400 the endpoint declared with <c>.ProducesValidationProblem()</c>), its description lists the codes declared with
/// <c>.ProducesProblemCodes</c>, and a 429 or 503 carries Retry-After.</item>
/// </list></summary>
public sealed class OperationTransformer(IAuthorizationPolicyProvider policies) : IOpenApiOperationTransformer
{
    private const string ProblemContentType = "application/problem+json";
    private const string ProblemSchema = nameof(ProblemDetails);
    private const string ValidationProblemSchema = nameof(HttpValidationProblemDetails);

    /// <summary>Codes that one status always carries here (Problems.cs and Problems.Normalize).</summary>
    private static readonly Dictionary<int, string> CodeOfStatus = new()
    {
        [StatusCodes.Status401Unauthorized] = "unauthorized",
        [StatusCodes.Status403Forbidden] = "forbidden",
        [StatusCodes.Status404NotFound] = "notFound",
    };

    /// <summary>A 400 with validation: a field broke its rule (with <c>errors</c>) or the body is not the strict JSON asked for.</summary>
    private static readonly string[] ValidationCodes = ["validationFailed", "invalidJson"];

    public async Task TransformAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        var metadata = context.Description.ActionDescriptor.EndpointMetadata;
        var codes = new Dictionary<int, List<string>>();
        void Declare(int status, params IEnumerable<string> declared)
        {
            if (!codes.TryGetValue(status, out var list)) codes[status] = list = [];
            list.AddRange(declared.Except(list));
        }

        if (await RequiredPolicyAsync(metadata) is { } policy)
        {
            var roles = policy.Requirements.OfType<RolesAuthorizationRequirement>().SelectMany(r => r.AllowedRoles).Distinct().ToList();
            operation.Security = [new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(DocumentTransformer.BearerScheme, context.Document)] = roles }];
            Declare(StatusCodes.Status401Unauthorized);
            if (policy.Requirements.Any(r => r is not DenyAnonymousAuthorizationRequirement)) Declare(StatusCodes.Status403Forbidden);
            // Credentials that keep failing from one address are throttled (RateLimits.FailedSignInThrottle).
            Declare(StatusCodes.Status429TooManyRequests, "rateLimited");
        }
        // No path or query string may carry a control character (PlainTextRequests).
        Declare(StatusCodes.Status400BadRequest, "controlCharacters");
        foreach (var parameter in operation.Parameters ?? [])
            if (parameter is OpenApiParameter { In: ParameterLocation.Header, Name: Orders.OrderEndpoints.IdempotencyHeader } key)
                key.Required = true; // refused without it (idempotencyKeyRequired); the handler reads it as optional to say so
        if (metadata.OfType<Infrastructure.Paging.PagedList>().Any()
            && operation.Responses?.TryGetValue(Key(StatusCodes.Status200OK), out var page) == true && page is OpenApiResponse pageResponse)
        {
            pageResponse.Headers ??= new Dictionary<string, IOpenApiHeader>();
            foreach (var (header, description) in Infrastructure.Paging.Headers)
                pageResponse.Headers[header] = new OpenApiHeader { Description = description, Schema = new OpenApiSchema { Type = JsonSchemaType.Integer } };
        }
        foreach (var declared in metadata.OfType<ProblemCodes>()) Declare(declared.StatusCode, declared.Codes);
        if (!HttpMethods.IsGet(context.Description.HttpMethod ?? "GET")) Declare(StatusCodes.Status409Conflict, "writeConflict");
        // The database may not answer (StorageExceptionHandler): nothing was changed, retry later.
        Declare(StatusCodes.Status503ServiceUnavailable, "storageUnavailable");

        operation.Responses ??= [];
        foreach (var status in codes.Keys)
            if (!operation.Responses.ContainsKey(Key(status)))
                operation.Responses[Key(status)] = new OpenApiResponse();
        foreach (var (key, answer) in operation.Responses.ToList())
        {
            if (!int.TryParse(key, out var status) || status < 400 || answer is not OpenApiResponse response) continue;
            var validation = response.Content?.Values.Any(c => c.Schema is OpenApiSchemaReference { Reference.Id: ValidationProblemSchema }) == true;
            if (!validation) await EnsureComponentAsync(context, typeof(ProblemDetails), ProblemSchema, cancellationToken);
            response.Content = new Dictionary<string, OpenApiMediaType>
            {
                [ProblemContentType] = new() { Schema = new OpenApiSchemaReference(validation ? ValidationProblemSchema : ProblemSchema, context.Document) },
            };
            var listed = (CodeOfStatus.TryGetValue(status, out var fixedCode) ? [fixedCode] : validation ? ValidationCodes : [])
                .Concat(codes.GetValueOrDefault(status) ?? []).Distinct().ToList();
            response.Description = ReasonPhrases.GetReasonPhrase(status) + (listed.Count == 0 ? "" : $" ({(listed.Count == 1 ? "code" : "codes")} {string.Join(", ", listed.Select(c => $"`{c}`"))})");
            if (status is StatusCodes.Status429TooManyRequests or StatusCodes.Status503ServiceUnavailable)
                response.Headers = new Dictionary<string, IOpenApiHeader>
                {
                    ["Retry-After"] = new OpenApiHeader
                    {
                        Description = "Seconds to wait before trying again.",
                        Schema = new OpenApiSchema { Type = JsonSchemaType.Integer },
                    },
                };
        }
        // In status order, as a reader looks for them.
        var sorted = operation.Responses.OrderBy(r => r.Key, StringComparer.Ordinal).ToList();
        operation.Responses.Clear();
        foreach (var (key, answer) in sorted) operation.Responses[key] = answer;
    }

    /// <summary>The policy the authorization middleware applies to the endpoint, or null if it lets anyone in.</summary>
    private async Task<AuthorizationPolicy?> RequiredPolicyAsync(IList<object> metadata)
    {
        if (metadata.OfType<IAllowAnonymous>().Any()) return null;
        return await AuthorizationPolicy.CombineAsync(policies, metadata.OfType<IAuthorizeData>(), metadata.OfType<AuthorizationPolicy>())
               ?? await policies.GetFallbackPolicyAsync();
    }

    /// <summary>Registers the schema as a component when no endpoint's own metadata did.</summary>
    private static async Task EnsureComponentAsync(OpenApiOperationTransformerContext context, Type type, string id, CancellationToken cancellationToken)
    {
        if (context.Document is not { } document || document.Components?.Schemas?.ContainsKey(id) == true) return;
        document.AddComponent<IOpenApiSchema>(id, await context.GetOrCreateSchemaAsync(type, null, cancellationToken));
    }

    private static string Key(int status) => status.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
