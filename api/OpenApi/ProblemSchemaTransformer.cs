using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Routing.Api.OpenApi;

/// <summary>The problem-document schemas as this API writes them (api/Infrastructure/Problems.cs): every problem has
/// a <c>status</c>, a <c>title</c> and a machine-readable <c>code</c>; the validation variant adds <c>errors</c>.</summary>
public sealed class ProblemSchemaTransformer : IOpenApiSchemaTransformer
{
    public Task TransformAsync(OpenApiSchema schema, OpenApiSchemaTransformerContext context, CancellationToken cancellationToken)
    {
        if (context.JsonPropertyInfo is not null || !typeof(ProblemDetails).IsAssignableFrom(context.JsonTypeInfo.Type)) return Task.CompletedTask;
        schema.Properties ??= new Dictionary<string, IOpenApiSchema>();
        // Always written, never null (the framework's type allows null for clients that omit them).
        schema.Properties["status"] = new OpenApiSchema { Type = JsonSchemaType.Integer, Format = "int32", Description = "The HTTP status code." };
        schema.Properties["title"] = new OpenApiSchema { Type = JsonSchemaType.String, Description = "The status in words." };
        schema.Properties["code"] = new OpenApiSchema
        {
            Type = JsonSchemaType.String,
            Description = "Why, in a word that does not change: e.g. `soldOut`, `notFound`, `validationFailed`. " +
                          "Each operation's answers list the codes it gives.",
        };
        schema.Required ??= new HashSet<string>();
        foreach (var name in new[] { "status", "title", "code" }) schema.Required.Add(name);
        return Task.CompletedTask;
    }
}
