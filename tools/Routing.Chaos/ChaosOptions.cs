using System.Globalization;

namespace Routing.Chaos;

/// <summary>What a chaos command runs: how many seeded sales, how big, and the bounds that keep each one short.</summary>
public sealed record ChaosOptions
{
    public required string RepoRoot { get; init; }
    public string Configuration { get; init; } = "Release";
    public int Runs { get; init; } = 10;
    public int Seed { get; init; } = 1;
    public int Cap { get; init; } = 2_000;
    public int Clients { get; init; } = 48;
    public int Silos { get; init; } = 3;
    public int Distributors { get; init; } = 4;
    public int PerCustomerLimit { get; init; } = 20;
    public int MaxQuantity { get; init; } = 5;

    /// <summary>Exit 1 unless every run is exact: nothing oversold, lost, phantom or stranded, and sold = acknowledged.</summary>
    public bool ExpectExact { get; init; }

    /// <summary>The victim dies once this share of the cap is acknowledged (drawn per run between the two).</summary>
    public double KillFrom { get; init; } = 0.2;
    public double KillTo { get; init; } = 0.6;

    /// <summary>A sale phase ends when nothing has been acknowledged for this long (or the campaign reports sold out).</summary>
    public TimeSpan Quiet { get; init; } = TimeSpan.FromSeconds(6);

    /// <summary>One HTTP attempt; past it the answer is ambiguous and the client retries the same key.</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>How long a client keeps retrying one key before it gives up (the order counts as unresolved).</summary>
    public TimeSpan RetryFor { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Set on the silos (Routing:Reservations), so orphaned reservations are checked within seconds.</summary>
    public TimeSpan UnverifiedAfter { get; init; } = TimeSpan.FromSeconds(5);
    public TimeSpan CheckEvery { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>A run that takes longer is stopped and counted as not measured.</summary>
    public TimeSpan RunTimeout { get; init; } = TimeSpan.FromMinutes(5);

    public string SigningKey { get; init; } = "routing-chaos-signing-key-0123456789-abcdefgh";
    public string LogDirectory { get; init; } = Path.Combine(Path.GetTempPath(), "routing-chaos");

    public static ChaosOptions Parse(string[] args, string repoRoot)
    {
        var options = new ChaosOptions { RepoRoot = repoRoot };
        for (var i = 0; i < args.Length; i++)
        {
            string Value() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value");
            int Int() => int.Parse(Value(), CultureInfo.InvariantCulture);
            options = args[i] switch
            {
                "--runs" => options with { Runs = Int() },
                "--seed" => options with { Seed = Int() },
                "--cap" => options with { Cap = Int() },
                "--clients" => options with { Clients = Int() },
                "--configuration" => options with { Configuration = Value() },
                "--quiet" => options with { Quiet = TimeSpan.FromSeconds(Int()) },
                "--run-timeout" => options with { RunTimeout = TimeSpan.FromSeconds(Int()) },
                // Longer than a run (e.g. 600) shows what the expiry of orphaned reservations recovers.
                "--unverified-after" => options with { UnverifiedAfter = TimeSpan.FromSeconds(Int()) },
                "--expect-exact" => options with { ExpectExact = true },
                _ => throw new ArgumentException($"unknown option {args[i]}; usage: chaos [--runs N] [--seed S] [--cap U] [--clients C] [--expect-exact]"),
            };
        }
        if (options.Runs < 1 || options.Cap < 20 || options.Clients < 1)
            throw new ArgumentException("--runs ≥ 1, --cap ≥ 20, --clients ≥ 1");
        return options with { PerCustomerLimit = Math.Min(options.PerCustomerLimit, options.Cap) };
    }
}
