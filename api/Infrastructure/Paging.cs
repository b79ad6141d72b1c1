using Microsoft.AspNetCore.Http.HttpResults;

namespace Routing.Api.Infrastructure;

/// <summary>Paged lists: <c>?page=</c> (from 1) and <c>?pageSize=</c> (1…<see cref="Limits.MaxListItems"/>); the body
/// stays a JSON array and the totals travel in headers.</summary>
public static class Paging
{
    public const int DefaultPageSize = 50;

    public static ProblemHttpResult? Check(int? page, int? pageSize) =>
        page is < 1 ? Problems.BadRequest("badPage", "page starts at 1")
        : pageSize is < 1 or > Limits.MaxListItems ? Problems.BadRequest("badPageSize", $"pageSize is between 1 and {Limits.MaxListItems}")
        : null;

    public static void AddHeaders(HttpContext http, long total, int page, int pageSize)
    {
        http.Response.Headers["X-Total-Count"] = total.ToString(System.Globalization.CultureInfo.InvariantCulture);
        http.Response.Headers["X-Page"] = page.ToString(System.Globalization.CultureInfo.InvariantCulture);
        http.Response.Headers["X-Page-Size"] = pageSize.ToString(System.Globalization.CultureInfo.InvariantCulture);
    }
}
