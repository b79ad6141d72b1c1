using Microsoft.AspNetCore.Http.HttpResults;
using Routing.Api.Infrastructure;

namespace Routing.Api.Stock;

/// <summary>What the stock operations' requests share.</summary>
public static class StockRequests
{
    /// <summary>A 422 <c>duplicateSku</c> when a SKU is named on more than one line (each SKU once), or null.</summary>
    public static ProblemHttpResult? DuplicateSku(IEnumerable<string> skus) =>
        skus.GroupBy(sku => sku, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1) is { } twice
            ? Problems.Unprocessable("duplicateSku", $"{twice.Key} is named more than once: one line per SKU")
            : null;
}
