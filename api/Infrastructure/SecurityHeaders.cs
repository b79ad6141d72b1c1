namespace Routing.Api.Infrastructure;

/// <summary>Response headers that make a browser handle the API and the ops console safely: no type sniffing, no
/// referrer, no framing (clickjacking), a content security policy that allows only what the built console loads, and
/// no caching of API answers (they carry tokens and customers' orders). The console's own files may be cached.</summary>
public static class SecurityHeaders
{
    /// <summary>What the console (a Vite build in web-ops/dist) needs: its own scripts and stylesheets, its inline SVG
    /// icon (a data: URL), <c>style</c> attributes it sets on bars and markers, and fetch and SignalR (WebSockets) to
    /// its own origin. Nothing inline runs, and no other site may frame it.</summary>
    public const string ContentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self'; style-src-attr 'unsafe-inline'; img-src 'self' data:; " +
        "connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

    /// <summary>The API reference page (Scalar at <c>/docs</c>) starts itself with an inline module script and styles its
    /// widgets inline: it may run those, still loads nothing from another origin, and may not be framed either.</summary>
    public const string ReferencePagePolicy =
        "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; " +
        "font-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

    public static WebApplication UseSecurityHeaders(this WebApplication app)
    {
        app.Use((context, next) =>
        {
            // Set when the answer starts, so they survive handlers that clear the response (the exception handler).
            context.Response.OnStarting(() =>
            {
                var headers = context.Response.Headers;
                headers.XContentTypeOptions = "nosniff";
                headers["Referrer-Policy"] = "no-referrer";
                headers.ContentSecurityPolicy = context.Request.Path.StartsWithSegments(OpenApi.OpenApiSetup.ReferencePagePath)
                    ? ReferencePagePolicy : ContentSecurityPolicy;
                // Only the console's files are answered without an endpoint (by the static files); everything else,
                // errors included, is never stored.
                if (context.GetEndpoint() is not null || context.Response.StatusCode >= 400)
                    headers.CacheControl = "no-store";
                return Task.CompletedTask;
            });
            return next(context);
        });
        return app;
    }
}
