using Microsoft.AspNetCore.Http.HttpResults;

namespace Routing.Api.Infrastructure;

/// <summary>Every list is paged: <c>?page=</c> (from 1) and <c>?pageSize=</c> (1…<see cref="Limits.MaxListItems"/>,
/// default <see cref="DefaultPageSize"/>); the body stays a JSON array and the totals travel in headers (<c>X-Total-Count</c>,
/// <c>X-Page</c>, <c>X-Page-Size</c>). A page past the end is empty.</summary>
public static class Paging
{
    public const int DefaultPageSize = 50;

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
        return Slice(all, p, size).ToList();
    }

    public static void AddHeaders(HttpContext http, long total, int page, int pageSize)
    {
        http.Response.Headers["X-Total-Count"] = total.ToString(System.Globalization.CultureInfo.InvariantCulture);
        http.Response.Headers["X-Page"] = page.ToString(System.Globalization.CultureInfo.InvariantCulture);
        http.Response.Headers["X-Page-Size"] = pageSize.ToString(System.Globalization.CultureInfo.InvariantCulture);
    }
}
