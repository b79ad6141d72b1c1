namespace Routing.Grains.Distributors;

/// <summary>When a reservation nobody has vouched for is checked with its order (configuration section
/// <c>Routing:Reservations</c>). A placement that crashed between reserving and saving leaves such a reservation.</summary>
public sealed class ReservationExpiryOptions
{
    public const string Section = "Routing:Reservations";

    /// <summary>How old an unverified reservation gets before its order is asked whether it holds it.</summary>
    public TimeSpan UnverifiedAfter { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>How often a distributor looks for such reservations (and retries ledger writes that failed).</summary>
    public TimeSpan CheckEvery { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>At most this many orders are asked per check.</summary>
    public int MaxChecksPerRound { get; set; } = 200;
}
