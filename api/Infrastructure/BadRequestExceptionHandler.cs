using Microsoft.AspNetCore.Diagnostics;

namespace Routing.Api.Infrastructure;

/// <summary>Turns request-binding failures (malformed JSON, wrong types, oversized bodies) into 4xx problem details
/// instead of 500s. Nothing has been changed when these happen: binding runs before any endpoint code.</summary>
public sealed class BadRequestExceptionHandler(IProblemDetailsService problems) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception, CancellationToken cancellationToken)
    {
        if (exception is not BadHttpRequestException bad) return false;
        context.Response.StatusCode = bad.StatusCode;
        return await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            Exception = exception,
            ProblemDetails =
            {
                Status = bad.StatusCode,
                Title = "Bad request",
                Detail = bad.InnerException is { } inner ? $"{bad.Message} {inner.Message}" : bad.Message,
                Extensions = { ["code"] = "badRequest" },
            },
        });
    }
}
