namespace Routing.Grains.Infrastructure;

/// <summary>Names of the storage providers grains persist to; the silo host decides what backs them.</summary>
public static class StorageNames
{
    public const string Routing = "routing";
}
