using Microsoft.Extensions.FileProviders;

namespace Routing.Api.Live;

/// <summary>Serves the built ops console (web-ops/dist) at <c>/</c>. Its location is <c>OpsConsole:Root</c>,
/// by default web-ops/dist beside the api project.</summary>
public static partial class OpsConsole
{
    public static WebApplication UseOpsConsole(this WebApplication app)
    {
        var root = app.Configuration["OpsConsole:Root"]
            ?? Path.GetFullPath(Path.Combine(app.Environment.ContentRootPath, "..", "web-ops", "dist"));
        if (!File.Exists(Path.Combine(root, "index.html")))
        {
            LogNotBuilt(app.Logger, root);
            return app;
        }
        var files = new PhysicalFileProvider(root);
        app.UseDefaultFiles(new DefaultFilesOptions { FileProvider = files });
        app.UseStaticFiles(new StaticFileOptions { FileProvider = files });
        return app;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The ops console is not built ({Root} has no index.html): run `npm ci && npm run build` in web-ops")]
    private static partial void LogNotBuilt(ILogger logger, string root);
}
