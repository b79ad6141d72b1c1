using Microsoft.AspNetCore.Http.HttpResults;

namespace Routing.Api.Infrastructure;

/// <summary>Every list is paged: <c>?page=</c> (from 1) and <c>?pageSize=</c> (1…<see cref="Limits.MaxListItems"/>,
/// default <see cref="DefaultPageSize"/>); the body stays a JSON array and the totals travel in headers (<c>X-Total-Count</c>,
/// <c>X-Page</c>, <c>X-Page-Size</c>). A page past the end is empty.</summary>
public static class Paging
{
    public const int DefaultPageSize = 50;

    /// <summary>The response headers of a page; the OpenAPI document declares them on every <see cref="Paged"/> endpoint.</summary>
    public static readonly IReadOnlyDictionary<string, string> Headers = new Dictionary<string, string>
    {
        [TotalHeader] = "How many items match, on all pages.",
        [PageHeader] = "This page's number, from 1.",
        [PageSizeHeader] = "Items per page.",
    };

    private const string TotalHeader = "X-Total-Count";
    private const string PageHeader = "X-Page";
    private const string PageSizeHeader = "X-Page-Size";

    /// <summary>Marks a paged list (<c>.Paged()</c>): for its document, its headers and its paging refusals.</summary>
    public sealed class PagedList;

    public static RouteHandlerBuilder Paged(this RouteHandlerBuilder endpoint) =>
        endpoint.WithMetadata(new PagedList()).ProducesProblemCodes(400, "badPage", "badPageSize", "invalidParameter");

    public static ProblemHttpResult? Check(int? page, int? pageSize) =>
        page is < 1 ? Problems.BadRequest("badPage", "page starts at 1")
        : pageSize is < 1 or > Limits.MaxListItems ? Problems.BadRequest("badPageSize", $"pageSize is between 1 and {Limits.MaxListItems}")
        : null;

    /// <summary>The items of one page of <paramref name="all"/> (the offset is computed without overflow).</summary>
    public static IEnumerable<T> Slice<T>(IReadOnlyList<T> all, int page, int pageSize)
    {
        var offset = (long)(page - 1) * pageSize;
        return offset >= all.Count ? [] : all.Skip((int)offset).Take(pageSize);
    }

    /// <summary>One page of a list held in full (reference data, alerts), with its headers.</summary>
    public static List<T> Page<T>(HttpContext http, IReadOnlyList<T> all, int? page, int? pageSize)
    {
        var (p, size) = (page ?? 1, pageSize ?? DefaultPageSize);
        AddHeaders(http, all.Count, p, size);
        return [.. Slice(all, p, size)];
    }

    public static void AddHeaders(HttpContext http, long total, int page, int pageSize)
    {
        http.Response.Headers[TotalHeader] = total.ToString(System.Globalization.CultureInfo.InvariantCulture);
        http.Response.Headers[PageHeader] = page.ToString(System.Globalization.CultureInfo.InvariantCulture);
        http.Response.Headers[PageSizeHeader] = pageSize.ToString(System.Globalization.CultureInfo.InvariantCulture);
    }
}
