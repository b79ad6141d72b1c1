using System.Globalization;
using Orleans.Storage;
using Routing.Grains.Orders;

namespace Routing.Grains.History;

/// <summary>The order grains' storage provider: an order's state is its journal record (<see cref="IOrderJournal"/>,
/// through <see cref="OrderStore"/>), whatever backs the journal (PostgreSQL or this process's memory). The record's
/// version is the state's ETag, so a stale activation's write fails alone with <see cref="InconsistentStateException"/>.</summary>
public sealed class OrderJournalStorage(OrderStore store) : IGrainStorage
{
    public async Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        var (version, state) = await store.ReadAsync(OrderId<T>(grainId));
        grainState.ETag = version?.ToString(CultureInfo.InvariantCulture);
        grainState.RecordExists = state is not null;
        grainState.State = state is null ? Activator.CreateInstance<T>() : (T)(object)state;
    }

    public async Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        var id = OrderId<T>(grainId);
        if (grainState.State is not OrderState { Order: not null } state)
            throw new InvalidOperationException($"order {id}: only a placed order is written to the journal");
        int? expected = grainState.ETag is null ? null : int.Parse(grainState.ETag, CultureInfo.InvariantCulture);
        var written = await store.WriteAsync(state, expected)
            ?? throw new InconsistentStateException(
                $"order {id} was changed elsewhere since this activation read it (expected version {grainState.ETag ?? "none"})",
                storedEtag: "unknown", currentEtag: grainState.ETag ?? "none");
        grainState.ETag = written.ToString(CultureInfo.InvariantCulture);
        grainState.RecordExists = true;
    }

    /// <summary>The journal keeps every order: nothing clears one.</summary>
    public Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        throw new NotSupportedException($"order {OrderId<T>(grainId)}: the journal keeps every order; orders are never cleared");

    private static string OrderId<T>(GrainId grainId) =>
        typeof(T) == typeof(OrderState) ? grainId.Key.ToString()
        : throw new NotSupportedException($"the order journal stores order state only, not {typeof(T).Name} ({grainId})");
}
