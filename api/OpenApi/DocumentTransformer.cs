using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Routing.Api.OpenApi;

/// <summary>What the document says about the whole API: its title, the bearer (JWT) scheme, and what each tag covers.</summary>
public sealed class DocumentTransformer : IOpenApiDocumentTransformer
{
    public const string BearerScheme = "bearer";

    /// <summary>One line per tag (the tags are set per resource by the endpoints' groups).</summary>
    private static readonly Dictionary<string, string> TagDescriptions = new()
    {
        ["Distributors"] = "Distributors, their stock per SKU, open reservations and the stock ledger.",
        ["Products"] = "The product catalog with ranked substitutes.",
        ["Customers"] = "Customers (growers and retailers) and their orders.",
        ["Campaigns"] = "Group-buy campaigns with live units sold, cap, price tier and status.",
        ["Orders"] = "Placing, finding, cancelling, routing again and fulfilling orders.",
        ["Review"] = "Order review: the review rules, the queue of orders on hold, approving and rejecting them.",
        ["Pre-orders"] = "Pre-orders taken for customers: reserved at once, held until confirmed, cancelled or expired.",
        ["Transfers"] = "Transfers between distributors: held at the source, dispatched, received (short: a discrepancy), cancelled.",
        ["Returns"] = "Returns and exchanges of shipped orders: requested, received (resellable back on hand, damaged written off).",
        ["Stocktakes"] = "Stocktakes: counted as of a time against the ledger, the difference applied today.",
        ["ERP"] = "SAP's side: imports of master data and stock levels, stock snapshots reconciled with SAP winning (on hand as of SAP's " +
            "count, reservations kept), and the outbound feed of order and stock changes SAP polls with a cursor (erp only; the same " +
            "cursor always answers the same events).",
        ["Forecast"] = "Stock forecast per distributor and SKU: sales velocity, days of cover, suggested restock and transfers from neighbours with surplus.",
        ["Analytics"] = "Order analytics over a period, campaign or distributor: outcomes, fill rates, failure reasons, hours and distributors (JSON or CSV).",
        ["Routing policies"] = "The routing policies orders are allocated by, editable at run time.",
        ["Alerts"] = "Low-stock, out-of-stock, low-cover, substitution, allocation and reconciliation alerts.",
        ["Simulation"] = "A bounded burst of demo orders for the ops console.",
        [LiveEventsTransformer.LiveTag] = "What the SignalR hubs push: each event by name, with the array of payloads it delivers.",
    };

    public Task TransformAsync(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken cancellationToken)
    {
        document.Info = new OpenApiInfo
        {
            Title = "Routing API",
            Version = "v1",
            Description = "Real-time order routing for group-buy flash sales and regular orders. JSON in camelCase, enums as " +
                          "their names. Every refusal is an RFC 9457 problem document with a stable `code`.",
        };
        // Relative to wherever the document was fetched from, so the document is the same on every host.
        document.Servers = [new OpenApiServer { Url = "/" }];
        document.Components ??= new OpenApiComponents();
        document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
        document.Components.SecuritySchemes[BearerScheme] = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.Http,
            Scheme = "bearer",
            BearerFormat = "JWT",
            Description = "A JWT (HS256) from `dotnet run --project api -- token --role ops|distributor|customer`. " +
                          "Operations list the roles they require.",
        };
        foreach (var tag in document.Tags ?? new HashSet<OpenApiTag>())
            if (tag.Name is { } name && TagDescriptions.TryGetValue(name, out var description))
                tag.Description = description;
        return Task.CompletedTask;
    }
}
