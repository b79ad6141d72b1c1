using Microsoft.Extensions.Diagnostics.HealthChecks;
using Routing.Contracts.Policies;
using Routing.Domain;

namespace Routing.Api.Infrastructure;

/// <summary>Ready when a grain answers: the cluster is up and this host can reach it.</summary>
public sealed class ClusterHealthCheck(IGrainFactory grains) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            await grains.GetGrain<IRoutingPoliciesGrain>(0).GetAsync(RoutingPolicy.DefaultId).WaitAsync(TimeSpan.FromSeconds(5), cancellationToken);
            return HealthCheckResult.Healthy();
        }
        catch (Exception e)
        {
            return HealthCheckResult.Unhealthy("the Orleans cluster does not answer", e);
        }
    }
}
