using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;
using Routing.Domain;
using Routing.Domain.Explaining;

namespace Routing.Api.OpenApi;

/// <summary>The routing explanation's schemas as the API writes them: every finding has its <c>code</c> and its words
/// (<c>text</c>, <c>textZh</c>, rendered when read, so the framework sees read-only properties it would call optional);
/// every candidate its <c>detail</c> and <c>detailZh</c> (null when there is nothing to say).</summary>
public sealed class ExplanationSchemaTransformer : IOpenApiSchemaTransformer
{
    public Task TransformAsync(OpenApiSchema schema, OpenApiSchemaTransformerContext context, CancellationToken cancellationToken)
    {
        if (context.JsonPropertyInfo is not null || schema.Properties is null) return Task.CompletedTask;
        var type = context.JsonTypeInfo.Type;
        if (type.IsSubclassOf(typeof(Finding)))
        {
            foreach (var words in new[] { "text", "textZh" })
                schema.Properties[words] = new OpenApiSchema { Type = JsonSchemaType.String };
            Require(schema, "code", "text", "textZh");
        }
        else if (type == typeof(CandidateReport)) Require(schema, "detail", "detailZh");
        return Task.CompletedTask;
    }

    private static void Require(OpenApiSchema schema, params string[] names)
    {
        schema.Required ??= new HashSet<string>();
        foreach (var name in names) schema.Required.Add(name);
    }
}
