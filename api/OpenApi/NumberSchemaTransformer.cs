using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Routing.Api.OpenApi;

/// <summary>Numbers are numbers in the contract. The web JSON defaults also read a number written as a string, so the
/// generated schema says "integer or string matching a pattern"; the API always writes numbers, and clients generated
/// from the document should send them, so the document describes only that.</summary>
public sealed class NumberSchemaTransformer : IOpenApiSchemaTransformer
{
    public Task TransformAsync(OpenApiSchema schema, OpenApiSchemaTransformerContext context, CancellationToken cancellationToken)
    {
        if (schema.Type is { } type && type.HasFlag(JsonSchemaType.String) && (type & (JsonSchemaType.Integer | JsonSchemaType.Number)) != 0)
        {
            schema.Type = type & ~JsonSchemaType.String;
            schema.Pattern = null;
        }
        return Task.CompletedTask;
    }
}
