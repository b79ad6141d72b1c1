namespace Routing.Api.Infrastructure;

/// <summary>Refuses a request whose path or query string carries a control character (sent percent-encoded, e.g.
/// <c>%00</c>) with 400 <c>controlCharacters</c>, before any endpoint sees it: ids and filters reach grain keys,
/// history queries and logs, where a NUL or a newline does harm.</summary>
public sealed class PlainTextRequests(RequestDelegate next)
{
    public async Task InvokeAsync(HttpContext context, IProblemDetailsService problems)
    {
        if (Offending(context.Request) is not { } where)
        {
            await next(context);
            return;
        }
        context.Response.StatusCode = StatusCodes.Status400BadRequest;
        await problems.WriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            ProblemDetails =
            {
                Status = StatusCodes.Status400BadRequest,
                Title = "Bad request",
                Detail = $"{where}: {PlainText.ControlCharactersMessage}",
                Extensions = { ["code"] = "controlCharacters" },
            },
        });
    }

    private static string? Offending(HttpRequest request)
    {
        if (PlainText.HasControlCharacters(request.Path.Value)) return "the path";
        foreach (var (name, values) in request.Query)
        {
            if (PlainText.HasControlCharacters(name)) return "a query parameter name";
            foreach (var value in values)
                if (PlainText.HasControlCharacters(value)) return $"query parameter '{name}'";
        }
        return null;
    }
}
