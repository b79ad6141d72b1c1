using System.Globalization;
using System.Text.Json;

namespace Routing.SapSim;

/// <summary>The stand-in's command line: a verb and its options, against a running API. Answers the exit code: 0 done,
/// 1 the API refused something or a run was not correct, 2 a bad command line.</summary>
public static class SapSimCli
{
    public const string Usage = """
        usage: sap-sim VERB [--url URL] [--token JWT] [options]
          demo     [--follow] [--cursor-file F] [--run ID]   import master data and stock (with bad rows), reconcile a snapshot,
                   read the feed; batch and snapshot ids end in ID (default: the time, so each run is new)
          import   --kind products|distributors|customers|stock --batch B --file F.csv|F.json
          snapshot --file F.json|F.csv [--id S] [--as-of T] [--tolerance N]
          feed     [--follow] [--cursor-file F] [--limit N]
          bench    [--rows 100000] [--json PATH] [--format csv|json]
        --url     the API (default $ROUTING_URL or http://localhost:5080)
        --token   a token of role erp (default $ROUTING_TOKEN, else minted with this checkout's api/bin/*/Routing.Api.dll token --role erp)
        """;

    private static readonly string[] Verbs = ["demo", "import", "snapshot", "feed", "bench"];

    private static readonly JsonSerializerOptions Indented = new(ErpClient.Json) { WriteIndented = true };

    /// <summary>Runs a verb. <paramref name="handler"/> replaces the HTTP stack (tests); with <c>--token</c> (or
    /// <c>$ROUTING_TOKEN</c>) no token is minted.</summary>
    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter error, CancellationToken ct, HttpMessageHandler? handler = null)
    {
        string? Option(string name)
        {
            var i = Array.IndexOf(args, name);
            return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
        }
        var verb = args.FirstOrDefault();
        if (verb is null || !Verbs.Contains(verb))
        {
            error.WriteLine(Usage);
            return 2;
        }
        if (!Uri.TryCreate(Option("--url") ?? Environment.GetEnvironmentVariable("ROUTING_URL") ?? "http://localhost:5080", UriKind.Absolute, out var url))
        {
            error.WriteLine("sap-sim: --url is an absolute URL, e.g. http://localhost:5080");
            return 2;
        }
        try
        {
            var token = Option("--token") ?? (Environment.GetEnvironmentVariable("ROUTING_TOKEN") is { Length: > 0 } fromEnvironment ? fromEnvironment : null);
            token ??= await MintAsync(output, ct);
            using var http = ErpClient.CreateHttp(url, token, handler);
            var client = new ErpClient(http);
            var standIn = new StandIn(client, output);
            var cursorFile = Option("--cursor-file") ?? FeedFollower.DefaultCursorFile(url);
            var follow = args.Contains("--follow");
            output.WriteLine($"SAP stand-in → {url}");
            switch (verb)
            {
                case "demo":
                    var runId = Option("--run") ?? DateTimeOffset.UtcNow.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture);
                    await standIn.DemoAsync(runId, ct);
                    output.WriteLine("== ERP feed" + (follow ? " (following; Ctrl-C stops)" : ""));
                    await new FeedFollower(client, output, cursorFile).RunAsync(follow, TimeSpan.FromSeconds(1), ct);
                    return 0;
                case "import":
                    if (Option("--kind") is not { } kind || Option("--file") is not { } file)
                    {
                        error.WriteLine("sap-sim: import needs --kind and --file (and --batch, else the file's name)");
                        return 2;
                    }
                    var batch = Option("--batch") ?? Path.GetFileNameWithoutExtension(file);
                    var view = await standIn.ImportFileAsync(kind, batch, file, ct);
                    return view.Status == "Completed" ? 0 : 1;
                case "snapshot":
                    if (Option("--file") is not { } snapshotFile)
                    {
                        error.WriteLine("sap-sim: snapshot needs --file");
                        return 2;
                    }
                    var asOf = Option("--as-of") is { } text ? DateTimeOffset.Parse(text, CultureInfo.InvariantCulture) : DateTimeOffset.UtcNow.AddSeconds(-1);
                    var tolerance = Option("--tolerance") is { } t ? int.Parse(t, CultureInfo.InvariantCulture) : 0;
                    await standIn.SnapshotFileAsync(snapshotFile, Option("--id"), asOf, tolerance, ct);
                    return 0;
                case "feed":
                    var limit = Option("--limit") is { } l ? int.Parse(l, CultureInfo.InvariantCulture) : 100;
                    output.WriteLine("== ERP feed" + (follow ? " (following; Ctrl-C stops)" : ""));
                    await new FeedFollower(client, output, cursorFile, limit).RunAsync(follow, TimeSpan.FromSeconds(1), ct);
                    return 0;
                default:
                    var rows = Option("--rows") is { } r ? int.Parse(r, CultureInfo.InvariantCulture) : 100_000;
                    var spec = ErpBenchSpec.ForRows(rows, DateTimeOffset.UtcNow.ToString("HHmmss", CultureInfo.InvariantCulture)) with
                    {
                        Csv = Option("--format") is not "json",
                    };
                    var result = await new ErpBench(client, output).RunAsync(spec, ct);
                    if (Option("--json") is { } json)
                        await File.WriteAllTextAsync(json, JsonSerializer.Serialize(result, Indented), ct);
                    if (!result.Correct) error.WriteLine("sap-sim: the bench run was not correct (rows not applied, rejected, or differences not as sent)");
                    return result.Correct ? 0 : 1;
            }
        }
        catch (ApiException e)
        {
            error.WriteLine($"sap-sim: {e.Message}");
            return 1;
        }
        catch (HttpRequestException e)
        {
            error.WriteLine($"sap-sim: cannot reach the API at {url}: {e.Message} (start it: dotnet run --project api)");
            return 1;
        }
        catch (Exception e) when (e is InvalidOperationException or IOException or FormatException or JsonException or KeyNotFoundException)
        {
            error.WriteLine($"sap-sim: {e.Message}");
            return 1;
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            return 130;
        }
    }

    private static async Task<string> MintAsync(TextWriter output, CancellationToken ct)
    {
        var repo = TokenMinter.FindRepoRoot(AppContext.BaseDirectory) ?? TokenMinter.FindRepoRoot(Directory.GetCurrentDirectory());
        var dll = TokenMinter.FindApiDll(repo)
            ?? throw new InvalidOperationException("no token: pass --token (an erp token), or run from a checkout whose API is built (dotnet build api)");
        var token = await TokenMinter.MintAsync(dll, "erp", "sap", ct);
        output.WriteLine($"(an erp token minted with {Path.GetRelativePath(repo!, dll)} token --role erp --sub sap)");
        return token;
    }
}
