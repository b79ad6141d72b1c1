using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Diagnostics;

namespace Routing.Api.Infrastructure;

/// <summary>Turns request-binding failures (malformed or non-strict JSON, wrong types, oversized bodies) into 4xx problem
/// details instead of 500s. Nothing has been changed when these happen: binding runs before any endpoint code. The
/// detail speaks of the request's fields (<c>$.lines[0].quantity</c>), never of the server's types.</summary>
public sealed partial class BadRequestExceptionHandler(IProblemDetailsService problems) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (exception is not BadHttpRequestException bad) return false;
        var (code, detail) = Describe(bad);
        httpContext.Response.StatusCode = bad.StatusCode;
        return await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = httpContext,
            Exception = exception,
            ProblemDetails =
            {
                Status = bad.StatusCode,
                Title = bad.StatusCode == StatusCodes.Status400BadRequest ? "Bad request" : "Request refused",
                Detail = detail,
                Extensions = { ["code"] = code },
            },
        });
    }

    /// <summary>A stable code and a message about the request, from what the framework or the JSON reader reported.</summary>
    public static (string Code, string Detail) Describe(BadHttpRequestException bad)
    {
        if (bad.InnerException is JsonException json) return ("invalidJson", Describe(json));
        if (bad.StatusCode == StatusCodes.Status413PayloadTooLarge) return ("payloadTooLarge", "the request body is too large");
        if (bad.StatusCode == StatusCodes.Status415UnsupportedMediaType) return ("unsupportedMediaType", "send the body as application/json");
        var message = bad.Message;
        if (BindFailure().Match(message) is { Success: true } bind)
            return ("invalidParameter", $"parameter '{bind.Groups["name"].Value}': '{bind.Groups["value"].Value}' is not a valid value");
        if (RequiredMissing().Match(message) is { Success: true } required)
            return ("missingParameter", $"parameter '{required.Groups["name"].Value}' is required");
        if (message.Contains("no body was provided", StringComparison.Ordinal) || message.Contains("body was empty", StringComparison.OrdinalIgnoreCase))
            return ("missingBody", "a JSON body is required");
        return ("badRequest", "the request could not be read");
    }

    private static string Describe(JsonException e)
    {
        var at = string.IsNullOrEmpty(e.Path) || e.Path == "$" ? "the body" : e.Path;
        var message = e.Message;
        if (message.StartsWith(PlainText.ControlCharactersMessage, StringComparison.Ordinal)) return $"{at}: {message}";
        if (message.StartsWith("Duplicate property", StringComparison.Ordinal) && Quoted().Match(message) is { Success: true } duplicate)
            return $"{at}: the field '{duplicate.Groups[1].Value}' appears more than once";
        if (message.Contains("missing required properties", StringComparison.Ordinal))
            return $"{at}: missing required field(s): {string.Join(", ", Quoted().Matches(message[message.IndexOf("including", StringComparison.Ordinal)..]).Select(m => m.Groups[1].Value))}";
        if (message.Contains("could not be mapped to any .NET member", StringComparison.Ordinal) && Quoted().Match(message) is { Success: true } unknown)
            return $"{at}: unknown field '{unknown.Groups[1].Value}'";
        if (message.Contains("doesn't allow null values", StringComparison.Ordinal) || message.Contains("null value", StringComparison.OrdinalIgnoreCase))
            return $"{at}: must not be null";
        // The reader's own errors (malformed JSON) arrive as the inner exception; conversion errors do not.
        if (e.InnerException is JsonException) return $"{at}: the body is not well-formed JSON";
        if (e.InnerException is not null || message.Contains("could not be converted", StringComparison.Ordinal))
            return $"{at}: not a valid value of the expected type (numbers as numbers, enums by name, dates as ISO 8601 strings)";
        return $"{at}: the body is not well-formed JSON";
    }

    [GeneratedRegex("""^Failed to bind parameter "\S+ (?<name>[^"\s]+)" from "(?<value>[^"]*)"\.""")]
    private static partial Regex BindFailure();

    [GeneratedRegex("""^Required parameter "\S+ (?<name>[^"\s]+)" was not provided""")]
    private static partial Regex RequiredMissing();

    [GeneratedRegex("'([^']*)'")]
    private static partial Regex Quoted();
}
