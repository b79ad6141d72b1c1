using Microsoft.AspNetCore.Http.HttpResults;

namespace Routing.Api.Infrastructure;

/// <summary>RFC 9457 problem responses with a stable machine-readable <c>code</c>.</summary>
public static class Problems
{
    public static ProblemHttpResult NotFound(string detail) => Make(StatusCodes.Status404NotFound, "Not found", "notFound", detail);
    public static ProblemHttpResult Conflict(string code, string detail) => Make(StatusCodes.Status409Conflict, "Conflict", code, detail);
    public static ProblemHttpResult Unprocessable(string code, string detail) => Make(StatusCodes.Status422UnprocessableEntity, "Unprocessable request", code, detail);
    public static ProblemHttpResult BadRequest(string code, string detail) => Make(StatusCodes.Status400BadRequest, "Bad request", code, detail);
    public static ProblemHttpResult Forbidden(string detail) => Make(StatusCodes.Status403Forbidden, "Forbidden", "forbidden", detail);

    public static ProblemHttpResult Make(int status, string title, string code, string detail) =>
        TypedResults.Problem(detail: detail, statusCode: status, title: title,
            extensions: new Dictionary<string, object?> { ["code"] = code });
}
