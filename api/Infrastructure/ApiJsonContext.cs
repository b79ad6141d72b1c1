using System.Text.Json.Serialization;
using Routing.Api.Orders;
using Routing.Contracts.Orders;

namespace Routing.Api.Infrastructure;

/// <summary>Compile-time JSON metadata for the order endpoints' bodies and answers (and every type they hold), so the
/// hottest route neither reflects over them nor builds accessors at run time. Metadata only and no options of its own:
/// it is used only through <see cref="StrictJson"/>'s options, first in their resolver chain, so every strict rule and
/// the control-character modifier apply to it as to the rest (never serialize with <c>ApiJsonContext.Default</c>'s own
/// options). Problem documents already come from the framework's own context, next in the chain.</summary>
[JsonSourceGenerationOptions(GenerationMode = JsonSourceGenerationMode.Metadata)]
[JsonSerializable(typeof(CampaignOrderRequest))]
[JsonSerializable(typeof(OrderRequest))]
[JsonSerializable(typeof(RerouteRequest))]
[JsonSerializable(typeof(CancelRequest))]
[JsonSerializable(typeof(OrderView))]
[JsonSerializable(typeof(List<OrderView>))]
internal sealed partial class ApiJsonContext : JsonSerializerContext;
