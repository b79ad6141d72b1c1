using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;
using Routing.Api.Auth;
using Routing.Api.Live;
using Routing.Contracts.Events;

namespace Routing.Api.OpenApi;

/// <summary>Adds the live events (SignalR, <c>/hubs/ops</c> and <c>/hubs/distributor</c>) to the document, which no
/// endpoint would: each payload as a component, and each event as a webhook named by its SignalR event name (OpenAPI's
/// word for messages the API sends that no call asked for), carrying an array of the payload. Clients take their
/// live-event types from here, as they take the REST ones.</summary>
public sealed class LiveEventsTransformer : IOpenApiDocumentTransformer
{
    public const string LiveTag = "Live events";

    public async Task TransformAsync(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken cancellationToken)
    {
        document.Webhooks ??= new Dictionary<string, IOpenApiPathItem>();
        foreach (var (name, type) in EventNames.Payloads.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            var id = type.Name + "Event";
            var schema = await context.GetOrCreateSchemaAsync(type, null, cancellationToken);
            ReferComponents(schema, document);
            document.AddComponent<IOpenApiSchema>(id, schema);
            document.Webhooks[name] = new OpenApiPathItem
            {
                Operations = new Dictionary<HttpMethod, OpenApiOperation>
                {
                    [HttpMethod.Post] = new()
                    {
                        OperationId = "live" + char.ToUpperInvariant(name[0]) + name[1..],
                        Summary = $"Live event {name}",
                        Description = $"Sent over SignalR (not HTTP) as event `{name}` with an array of payloads: on `{OpsHub.Path}` every " +
                                      $"one, on `{DistributorHub.Path}` those of the caller's own distributor.",
                        Tags = new HashSet<OpenApiTagReference> { new(LiveTag, document) },
                        RequestBody = new OpenApiRequestBody
                        {
                            Required = true,
                            Content = new Dictionary<string, OpenApiMediaType>
                            {
                                ["application/json"] = new() { Schema = new OpenApiSchema { Type = JsonSchemaType.Array, Items = new OpenApiSchemaReference(id, document) } },
                            },
                        },
                        // A hub connection carries the bearer token of an ops user or of a distributor.
                        Security = [new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(DocumentTransformer.BearerScheme, document)] = [Roles.Ops, Roles.Distributor] }],
                        Responses = new OpenApiResponses { ["200"] = new OpenApiResponse { Description = "Delivered (SignalR sends no answer)." } },
                    },
                },
            };
        }
    }

    /// <summary>A schema made outside an endpoint comes with every type inline: where the document has the type as a
    /// component already, refer to it instead (nullable as the framework writes it, a <c>oneOf</c> with null).</summary>
    private static void ReferComponents(OpenApiSchema schema, OpenApiDocument document)
    {
        if (schema.Properties is { } properties)
            foreach (var (name, property) in properties.ToList())
                properties[name] = AsReference(property, document);
        if (schema.Items is { } items) schema.Items = AsReference(items, document);
    }

    private static IOpenApiSchema AsReference(IOpenApiSchema schema, OpenApiDocument document)
    {
        if (schema is not OpenApiSchema inline) return schema;
        if (inline.Metadata?.TryGetValue("x-schema-id", out var value) == true && value is string { Length: > 0 } id
            && document.Components?.Schemas?.ContainsKey(id) == true)
        {
            var reference = new OpenApiSchemaReference(id, document);
            return inline.Metadata.TryGetValue("x-is-nullable-property", out var nullable) && nullable is true
                ? new OpenApiSchema { OneOf = [new OpenApiSchema { Type = JsonSchemaType.Null }, reference] }
                : reference;
        }
        ReferComponents(inline, document);
        return inline;
    }
}
