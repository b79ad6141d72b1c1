using Routing.Contracts.Distributors;
using Routing.Grains.Infrastructure;

namespace Routing.Grains.Distributors;

/// <summary>Persistent state of a shelf of reservations.</summary>
[GenerateSerializer]
public sealed class ReservationShelf
{
    [Id(0)] public Dictionary<string, Reservation> Reservations { get; set; } = new(StringComparer.Ordinal);
}

/// <summary>A distributor's open reservations, by order, kept apart from its stock on shelves of growing size, so
/// that a reservation costs a small write however many are open: new ones go on the first shelf; a full shelf moves
/// onto the next (like the levels of a log-structured merge tree). A flash sale's writes then carry the stock and a
/// few dozen reservations, not every open one; a large shelf is written only once per <see cref="Limits"/> of the
/// shelf before it.</summary>
/// <remarks>Shelves are written beside the distributor's own state (see <see cref="DistributorGrain"/>): a crash that
/// lets one land without the other leaves stock counters that disagree with the shelves, which the grain reconciles
/// when it next activates.
/// A move writes the receiving shelf first, so a crash mid-move leaves a reservation on two shelves (the same
/// record), never on none. Used from the grain's own turns only.</remarks>
public sealed class ReservationBook(IReadOnlyList<IPersistentState<ReservationShelf>> shelves)
{
    /// <summary>How many reservations each shelf holds before it moves onto the next; the last shelf has no limit.
    /// Each shelf is 16 times the one before: a reservation is then rewritten about 8 times per shelf it passes
    /// (measured: with 64 and 2,048 on three shelves, serializing shelves was an eighth of a flash sale's CPU).</summary>
    public static readonly int[] Limits = [16, 256, 4096];

    private readonly bool[] _dirty = new bool[shelves.Count];

    private Dictionary<string, Reservation> Shelf(int i) => shelves[i].State.Reservations;

    public bool TryGet(string orderId, out Reservation reservation)
    {
        for (var i = 0; i < shelves.Count; i++)
            if (Shelf(i).TryGetValue(orderId, out reservation!)) return true;
        reservation = null!;
        return false;
    }

    /// <summary>Adds an order's reservation, or replaces it on the newest shelf that holds it.</summary>
    public void Set(Reservation reservation)
    {
        var i = 0;
        while (i < shelves.Count - 1 && !Shelf(i).ContainsKey(reservation.OrderId)) i++;
        if (!Shelf(i).ContainsKey(reservation.OrderId)) i = 0;
        Shelf(i)[reservation.OrderId] = reservation;
        _dirty[i] = true;
    }

    public bool Remove(string orderId, out Reservation reservation)
    {
        reservation = null!;
        for (var i = 0; i < shelves.Count; i++)
        {
            if (!Shelf(i).Remove(orderId, out var removed)) continue;
            reservation ??= removed;
            _dirty[i] = true;
        }
        return reservation is not null;
    }

    /// <summary>Every open reservation, once each (the newest shelf's copy where a move left two).</summary>
    public IEnumerable<Reservation> All
    {
        get
        {
            var seen = new HashSet<string>(StringComparer.Ordinal);
            for (var i = 0; i < shelves.Count; i++)
                foreach (var reservation in Shelf(i).Values)
                    if (seen.Add(reservation.OrderId)) yield return reservation;
        }
    }

    /// <summary>Writes the shelves that changed, the deepest first. Decides synchronously what to write, so a change
    /// made by another turn while this write is in flight marks its shelf for the next write.</summary>
    public async Task WriteAsync(IGrainBase grain)
    {
        var moved = new bool[shelves.Count];
        for (var i = 0; i < Limits.Length && i < shelves.Count - 1; i++)
        {
            if (Shelf(i).Count < Limits[i]) continue;
            foreach (var (orderId, reservation) in Shelf(i)) Shelf(i + 1)[orderId] = reservation;
            moved[i] = _dirty[i] = _dirty[i + 1] = true;
        }
        var write = (bool[])_dirty.Clone();
        Array.Clear(_dirty);
        for (var i = shelves.Count - 1; i >= 0; i--)
        {
            if (moved[i])
            {
                // Deeper shelves now hold these durably: they leave this one, unless replaced or added meanwhile.
                foreach (var (orderId, reservation) in Shelf(i).ToList())
                    if (HeldDeeper(i, orderId, reservation)) Shelf(i).Remove(orderId);
            }
            if (write[i]) await shelves[i].SaveAsync(grain);
        }
    }

    private bool HeldDeeper(int shelf, string orderId, Reservation reservation)
    {
        for (var j = shelf + 1; j < shelves.Count; j++)
            if (Shelf(j).TryGetValue(orderId, out var copy) && ReferenceEquals(copy, reservation)) return true;
        return false;
    }
}
