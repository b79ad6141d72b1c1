namespace Routing.Contracts.Catalog;

/// <summary>A product (SKU) with its ranked substitutes (best first).</summary>
[GenerateSerializer, Immutable]
public sealed record Product(
    [property: Id(0)] string Sku,
    [property: Id(1)] string Name,
    [property: Id(2)] string Unit,
    [property: Id(3)] string? Category,
    [property: Id(4)] IReadOnlyList<string> Substitutes);
