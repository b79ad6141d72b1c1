using Routing.Tests.Postgres;

namespace Routing.Tests.Stock;

/// <summary>The stock operations' races again on PostgreSQL, where the operation store and the ledger answer
/// asynchronously, so a grain's turn really is interleaved at its awaits (in memory most of them complete at once): a
/// transfer racing a flash sale, one transfer key sent many times at once, racing return requests and receipts, one
/// stocktake key sent many times at once and a stocktake racing a sale. One host per kind of operation.</summary>
[Collection(PostgresCollection.Name)]
public sealed class StockRacesOnPostgresTests(PostgresFixture postgres)
{
    [Fact]
    public Task Transfers_racing_a_sale_or_each_other_never_oversell_or_hold_twice() => OnPostgresAsync("transfers", async api =>
    {
        await TransferTests.RaceAsync(api);
        await TransferTests.SameKeyRaceAsync(api);
    });

    [Fact]
    public Task Racing_returns_never_exceed_what_was_shipped_and_count_once() => OnPostgresAsync("returns", async api =>
    {
        await ReturnTests.RequestRaceAsync(api);
        await ReturnTests.ReceiveRaceAsync(api);
    });

    [Fact]
    public Task Racing_stocktakes_apply_once_and_keep_the_statement_adding_up() => OnPostgresAsync("stocktakes", async api =>
    {
        await StocktakeTests.SameKeyRaceAsync(api);
        await StocktakeTests.SaleRaceAsync(api);
    });

    private async Task OnPostgresAsync(string purpose, Func<Api.ApiFactory, Task> races)
    {
        var db = await postgres.CreateDatabaseAsync(purpose);
        await using var api = new PostgresApi(db);
        await api.InitializeAsync();
        await races(api);
    }
}
