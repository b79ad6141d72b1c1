using Scalar.AspNetCore;

namespace Routing.Api.OpenApi;

/// <summary>The OpenAPI document at <c>/openapi/v1.json</c> and its reference page at <c>/docs</c>, both anonymous.
/// What an endpoint answers is declared on the endpoint (<c>.WithName</c>, <c>.WithSummary</c>, <c>.ProducesProblem</c>,
/// <c>.ProducesProblemCodes</c>); the transformers add what follows from app-wide rules:
/// the bearer scheme, the live events, each operation's security from its authorization metadata, and the problem-document schema.</summary>
public static class OpenApiSetup
{
    public const string DocumentPath = "/openapi/v1.json";
    public const string ReferencePagePath = "/docs";

    public static IServiceCollection AddRoutingOpenApi(this IServiceCollection services) =>
        services.AddOpenApi(options =>
        {
            options.AddDocumentTransformer<DocumentTransformer>();
            options.AddDocumentTransformer<LiveEventsTransformer>();
            options.AddOperationTransformer<OperationTransformer>();
            options.AddSchemaTransformer<ProblemSchemaTransformer>();
            options.AddSchemaTransformer<ExplanationSchemaTransformer>();
        });

    public static void MapRoutingOpenApi(this WebApplication app)
    {
        app.MapOpenApi(DocumentPath).AllowAnonymous();
        // The page loads its script from the API itself (embedded in Scalar.AspNetCore); no fonts, telemetry, AI agent or
        // hosted developer tools (share, SDK generation) from outside, so it works on a machine without internet access.
        app.MapScalarApiReference(ReferencePagePath, options => options
                .WithTitle("Routing API")
                .WithOpenApiRoutePattern(DocumentPath)
                .AddPreferredSecuritySchemes(DocumentTransformer.BearerScheme)
                .DisableDefaultFonts()
                .DisableTelemetry()
                .DisableAgent()
                .DisableMcp()
                .HideDeveloperTools())
            .AllowAnonymous();
    }
}
