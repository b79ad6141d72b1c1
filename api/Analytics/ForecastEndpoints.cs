using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Routing.Api.Auth;
using Routing.Api.Infrastructure;
using Routing.Contracts.Distributors;
using Routing.Domain.Rules;
using Routing.Grains.Distributors;

namespace Routing.Api.Analytics;

/// <summary>A transfer that would bring a distributor up to its target cover from one with stock to spare.</summary>
public sealed record SuggestedTransfer(string FromDistributorId, int Quantity, double DistanceKm);

/// <summary>One distributor's forecast for one SKU (库存预测): its stock, how fast it sells (<see cref="Velocity"/>), how
/// many days that lasts, what to restock to the target cover, and (for ops) transfers that would do it from neighbours.</summary>
public sealed record ForecastRow(
    string DistributorId,
    string Sku,
    int OnHand,
    int Reserved,
    int Available,
    int Incoming,
    double VelocityPerDay,
    double? DaysOfCover,
    bool LowCover,
    int SuggestedRestock,
    IReadOnlyList<SuggestedTransfer> SuggestedTransfers);

public static class ForecastEndpoints
{
    public static void MapForecastEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/forecast", async Task<Results<Ok<List<ForecastRow>>, ProblemHttpResult>> (string? sku, string? distributorId, HttpContext http,
            IGrainFactory grains, IOptions<ForecastOptions> options) =>
        {
            var caller = http.Caller();
            if (!caller.IsOps && !caller.IsDistributor) return Problems.Forbidden($"a {caller.Role} token has no access to forecasts");
            // A distributor sees its own rows, whichever it asks for; transfer suggestions name other distributors' stock: ops only.
            var only = caller.IsDistributor ? caller.DistributorId : distributorId;
            var directory = await grains.GetGrain<IDistributorDirectoryGrain>(0).GetSnapshotsAsync();
            var ids = caller.IsOps ? directory.Select(d => d.Id).ToList() : [caller.DistributorId!];
            if (only is not null && !ids.Contains(only)) return Problems.NotFound($"distributor '{only}' does not exist");
            var inventories = await Task.WhenAll(ids.Select(async id => (Id: id, Items: await grains.GetGrain<IDistributorGrain>(id).GetInventoryAsync())));
            var locations = directory.ToDictionary(d => d.Id, d => d.Location, StringComparer.Ordinal);
            var (target, low) = (options.Value.TargetDaysOfCover, options.Value.LowCoverDays);

            var all = inventories.SelectMany(inv => inv.Items.Where(i => sku is null || i.Sku == sku).Select(i => (inv.Id, Item: i))).ToList();
            var rows = all.Where(r => only is null || r.Id == only)
                .OrderBy(r => r.Item.DaysOfCover ?? double.MaxValue).ThenBy(r => r.Id, StringComparer.Ordinal).ThenBy(r => r.Item.Sku, StringComparer.Ordinal)
                .Select(r =>
                {
                    var transfers = !caller.IsOps || r.Item.SuggestedRestock == 0 ? []
                        : Cover.SuggestTransfers(r.Item.SuggestedRestock, all
                                .Where(o => o.Item.Sku == r.Item.Sku && o.Id != r.Id)
                                .Select(o => (o.Id, Cover.Surplus(o.Item.Available, o.Item.Incoming, o.Item.VelocityPerDay, target), Distance(o.Id, r.Id))))
                            .Select(t => new SuggestedTransfer(t.FromDistributorId, t.Quantity, Math.Round(Distance(t.FromDistributorId, r.Id), 1)))
                            .ToList();
                    return new ForecastRow(r.Id, r.Item.Sku, r.Item.OnHand, r.Item.Reserved, r.Item.Available, r.Item.Incoming, r.Item.VelocityPerDay,
                        r.Item.DaysOfCover, Cover.IsLow(r.Item.DaysOfCover, low), r.Item.SuggestedRestock, transfers);
                })
                .ToList();
            return TypedResults.Ok(rows);

            double Distance(string from, string to) =>
                locations.TryGetValue(from, out var a) && locations.TryGetValue(to, out var b) ? a.DistanceKmTo(b) : double.MaxValue;
        })
            .WithTags("Forecast")
            .WithName("forecast")
            .WithSummary("Stock forecast per distributor and SKU (?sku=&distributorId=): velocity, days of cover, suggested restock and (ops) transfers, shortest cover first")
            .ProducesProblem(403).ProducesProblem(404);
    }
}
