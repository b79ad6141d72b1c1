using System.Net;

namespace Routing.SapSim;

/// <summary>Follows the ERP event feed (<c>GET /api/erp/events?after=&amp;limit=</c>) as SAP's inbound interface would:
/// each event printed on one line, then its cursor saved in the cursor file, so a stand-in started again carries on
/// after the last event it printed, without a gap or a repeat.</summary>
public sealed class FeedFollower(ErpClient client, TextWriter output, string cursorFile, int pageSize = 100)
{
    public const string NoFeed = "this API has no ERP feed yet (GET /api/erp/events answered 404)";

    /// <summary>The default cursor file: one per API address, under the temp directory.</summary>
    public static string DefaultCursorFile(Uri url) =>
        Path.Combine(Path.GetTempPath(), "routing-sapsim", $"cursor-{url.Host}-{url.Port}.txt");

    /// <summary>Prints what the feed has after the saved cursor; with <paramref name="follow"/>, keeps polling every
    /// <paramref name="pollEvery"/> until cancelled. Answers the number of events printed, or null when the API has no feed.</summary>
    public async Task<long?> RunAsync(bool follow, TimeSpan pollEvery, CancellationToken ct)
    {
        var cursor = ReadCursor();
        output.WriteLine(cursor is null
            ? $"   from the start of the feed (no cursor in {cursorFile})"
            : $"   after cursor {cursor} (from {cursorFile})");
        long printed = 0;
        while (!ct.IsCancellationRequested)
        {
            FeedPage? page;
            try
            {
                page = await client.EventsAsync(cursor, pageSize, ct);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                break;
            }
            catch (ApiException e) when (e.Status == HttpStatusCode.Forbidden)
            {
                throw new ApiException("GET /api/erp/events", e.Status, e.Code, "the feed is for the erp role only: this token may not read it");
            }
            catch (ApiException e) when (e.Status == HttpStatusCode.BadRequest && cursor is not null)
            {
                throw new ApiException("GET /api/erp/events", e.Status, e.Code,
                    $"the API refused the cursor saved in {cursorFile} (from another API or database?); delete the file to start from the beginning");
            }
            if (page is null)
            {
                output.WriteLine($"   {NoFeed}");
                return null;
            }
            foreach (var e in page.Events)
            {
                output.WriteLine($"   {Report.Event(e)}");
                // Saved per event: stopped anywhere, the next run starts after the last event printed.
                if (e.TryGetProperty("cursor", out var c) && c.GetString() is { } at) SaveCursor(cursor = at);
                printed++;
            }
            if (page.Next is { Length: > 0 } next && next != cursor) SaveCursor(cursor = next);
            if (page.Events.Count >= pageSize) continue;
            if (!follow) break;
            try { await Task.Delay(pollEvery, ct); }
            catch (OperationCanceledException) { break; }
        }
        output.WriteLine($"   {printed} events; next time after {cursor ?? "the start"}");
        return printed;
    }

    private string? ReadCursor() =>
        File.Exists(cursorFile) && File.ReadAllText(cursorFile).Trim() is { Length: > 0 } saved ? saved : null;

    /// <summary>Written beside and moved over the file, so a stand-in stopped mid-write leaves the old cursor or the new one.</summary>
    private void SaveCursor(string cursor)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(cursorFile))!);
        var temp = cursorFile + ".tmp";
        File.WriteAllText(temp, cursor);
        File.Move(temp, cursorFile, overwrite: true);
    }
}
