using Routing.Domain;

namespace Routing.Contracts.Orders;

/// <summary>The review rules (one, key 0) every placement is checked against; placements read them through each silo's
/// read model, so a change applies within its refresh time.</summary>
public interface IReviewRulesGrain : IGrainWithIntegerKey
{
    [ReadOnly] Task<ReviewSettings> GetAsync();

    Task SetAsync(ReviewSettings rules);
}
