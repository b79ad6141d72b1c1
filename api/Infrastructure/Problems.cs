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

    /// <summary>Makes every problem document speak like the rest of the API: a <c>code</c> on all of them (those written
    /// by the framework — validation, 401, 403, unknown routes — get one from their status), and validation errors keyed
    /// by the JSON (camelCase) names of the fields, e.g. <c>lines[0].quantity</c>.</summary>
    public static void Normalize(ProblemDetailsContext context)
    {
        var problem = context.ProblemDetails;
        if (problem is HttpValidationProblemDetails validation)
        {
            var errors = validation.Errors.ToDictionary(e => CamelCasePath(e.Key), e => e.Value);
            validation.Errors.Clear();
            foreach (var (key, messages) in errors) validation.Errors[key] = messages;
        }
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

    private static string CamelCasePath(string path) =>
        string.Join('.', path.Split('.').Select(part => part.Length == 0 ? part : char.ToLowerInvariant(part[0]) + part[1..]));

    public static ProblemHttpResult Make(int status, string title, string code, string detail) =>
        TypedResults.Problem(detail: detail, statusCode: status, title: title,
            extensions: new Dictionary<string, object?> { ["code"] = code });
}
