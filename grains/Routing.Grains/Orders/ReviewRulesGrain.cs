using Routing.Contracts.Orders;
using Routing.Domain;
using Routing.Grains.Infrastructure;

namespace Routing.Grains.Orders;

/// <summary>Persistent state of the review rules: none until ops set them (every rule off).</summary>
[GenerateSerializer]
public sealed class ReviewRulesState
{
    [Id(0)] public ReviewSettings? Rules { get; set; }
}

/// <summary>The review rules, editable at run time. Placements read them through <see cref="RoutingReadModel"/>, not per order.</summary>
public sealed class ReviewRulesGrain(
    [PersistentState("reviewRules", StorageNames.Routing)] IPersistentState<ReviewRulesState> state) : Grain, IReviewRulesGrain
{
    public Task<ReviewSettings> GetAsync() => Task.FromResult(state.State.Rules ?? ReviewSettings.Off);

    public async Task SetAsync(ReviewSettings rules)
    {
        if (state.State.Rules == rules) return;
        state.State.Rules = rules;
        await state.WriteStateAsync();
    }
}
