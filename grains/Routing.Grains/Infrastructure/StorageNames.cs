namespace Routing.Grains.Infrastructure;

/// <summary>Names of the storage providers grains persist to; the silo host decides what backs them.</summary>
public static class StorageNames
{
    public const string Routing = "routing";

    /// <summary>The order journal (<see cref="History.IOrderJournal"/>): an order's state is its one record.</summary>
    public const string Orders = "orders";
}
