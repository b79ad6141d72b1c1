namespace Routing.Grains.Distributors;

/// <summary>The stock forecast's settings (configuration section <c>Routing:Forecast</c>): how many days of sales the
/// suggested restock aims to cover, and below how many days of cover a <c>LowCover</c> alert is raised.</summary>
public sealed class ForecastOptions
{
    public const string Section = "Routing:Forecast";

    public double TargetDaysOfCover { get; set; } = 14;

    public double LowCoverDays { get; set; } = 3;
}
