using System.Diagnostics;

namespace Routing.SapSim;

/// <summary>Mints an erp token with the API's own <c>token</c> verb (<c>dotnet Routing.Api.dll token --role erp --sub sap</c>),
/// run from the repository's api folder as <c>dotnet run --project api</c> runs: so it signs with the key the embedded
/// default validates with (the development key, or <c>Auth__SigningKey</c> when the environment sets one).</summary>
public static class TokenMinter
{
    private static readonly string[] Configurations = ["Release", "Debug"];

    /// <summary>The built API of this repository (Release first, then Debug), or null when it is not built or this
    /// program does not run from a checkout.</summary>
    public static string? FindApiDll(string? repoRoot)
    {
        if (repoRoot is null) return null;
        return Configurations.Select(c => Path.Combine(repoRoot, "api", "bin", c, "net10.0", "Routing.Api.dll")).FirstOrDefault(File.Exists);
    }

    /// <summary>The repository root: the nearest directory above <paramref name="start"/> holding Routing.sln.</summary>
    public static string? FindRepoRoot(string start)
    {
        for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Routing.sln"))) return dir.FullName;
        return null;
    }

    public static async Task<string> MintAsync(string apiDll, string role, string subject, CancellationToken ct)
    {
        var info = new ProcessStartInfo("dotnet")
        {
            // The api folder, as for `dotnet run --project api`: its appsettings (and the Development one) are read from there.
            WorkingDirectory = Path.GetFullPath(Path.Combine(Path.GetDirectoryName(apiDll)!, "..", "..", "..")),
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var a in new[] { apiDll, "token", "--role", role, "--sub", subject }) info.ArgumentList.Add(a);
        // The launch profile's default: Development, unless the environment names one (as `dotnet run --project api` does).
        if (string.IsNullOrEmpty(Environment.GetEnvironmentVariable("ROUTING_DEFAULT_ENVIRONMENT")))
            info.Environment["ROUTING_DEFAULT_ENVIRONMENT"] = "Development";
        using var process = Process.Start(info) ?? throw new InvalidOperationException($"could not start dotnet {apiDll} token");
        var output = process.StandardOutput.ReadToEndAsync(ct);
        var error = process.StandardError.ReadToEndAsync(ct);
        await process.WaitForExitAsync(ct);
        var token = (await output).Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .LastOrDefault(l => l.StartsWith("eyJ", StringComparison.Ordinal));
        return process.ExitCode == 0 && token is not null
            ? token
            : throw new InvalidOperationException($"`dotnet {apiDll} token --role {role}` failed (exit {process.ExitCode}): {(await error).Trim()}");
    }
}
