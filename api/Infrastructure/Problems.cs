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

    /// <summary>Gives every problem document a <c>code</c>: those written by the framework (validation, 401, 403,
    /// unknown routes) get one from their status.</summary>
    public static void AddDefaultCode(ProblemDetailsContext context)
    {
        var problem = context.ProblemDetails;
        if (problem.Extensions.ContainsKey("code")) return;
        problem.Extensions["code"] = problem.Status switch
        {
            400 when problem is HttpValidationProblemDetails => "validationFailed",
            400 => "badRequest",
            401 => "unauthorized",
            403 => "forbidden",
            404 => "notFound",
            405 => "methodNotAllowed",
            409 => "conflict",
            413 => "payloadTooLarge",
            415 => "unsupportedMediaType",
            422 => "unprocessable",
            _ => "serverError",
        };
    }

    public static ProblemHttpResult Make(int status, string title, string code, string detail) =>
        TypedResults.Problem(detail: detail, statusCode: status, title: title,
            extensions: new Dictionary<string, object?> { ["code"] = code });
}
