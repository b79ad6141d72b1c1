using Microsoft.AspNetCore.Diagnostics;

namespace Routing.Api.Infrastructure;

/// <summary>Storage trouble a client can resolve by retrying, answered as a problem rather than a 500.
/// <list type="bullet">
/// <item>A write conflict (<see cref="Orleans.Storage.InconsistentStateException"/>: another activation wrote the grain's state, e.g.
/// right after a silo failure): 409 <c>writeConflict</c>. Nothing was half-applied: the grain reloads on the next call.</item>
/// <item>The database did not take a write (unreachable, failing over): 503 <c>storageUnavailable</c> with Retry-After.
/// Nothing was acknowledged; a retry with the same Idempotency-Key places the order or answers with the one saved.</item>
/// </list></summary>
public sealed partial class StorageExceptionHandler(IProblemDetailsService problems, ILogger<StorageExceptionHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        var (status, title, code, detail) = Classify(exception);
        if (status == 0) return false;
        LogRefused(logger, exception, httpContext.Request.Method, httpContext.Request.Path, code);
        httpContext.Response.StatusCode = status;
        if (status == StatusCodes.Status503ServiceUnavailable) httpContext.Response.Headers.RetryAfter = "1";
        return await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = httpContext,
            Exception = exception,
            ProblemDetails = { Status = status, Title = title, Detail = detail, Extensions = { ["code"] = code } },
        });
    }

    private static (int Status, string Title, string Code, string Detail) Classify(Exception? e)
    {
        for (; e is not null; e = e.InnerException)
        {
            if (e is Orleans.Storage.InconsistentStateException)
                return (StatusCodes.Status409Conflict, "Conflict", "writeConflict",
                    "the resource was changed concurrently and nothing was applied; retry the request (with the same Idempotency-Key for orders)");
            if (e is System.Data.Common.DbException)
                return (StatusCodes.Status503ServiceUnavailable, "Service unavailable", "storageUnavailable",
                    "the database did not take the change and nothing was acknowledged; retry the request (with the same Idempotency-Key for orders)");
        }
        return (0, "", "", "");
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Method} {Path}: {Code}")]
    private static partial void LogRefused(ILogger logger, Exception exception, string method, PathString path, string code);
}
