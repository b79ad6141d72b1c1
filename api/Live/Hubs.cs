using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.SignalR;
using Routing.Api.Auth;

namespace Routing.Api.Live;

/// <summary>Live events for operations staff: every event. Clients only listen; the server never takes orders here.</summary>
[Authorize(Policy = Roles.Ops)]
public sealed class OpsHub : Hub
{
    public const string Path = "/hubs/ops";
}

/// <summary>Live events for one distributor. Its group is chosen by the server from the token's
/// <c>distributor_id</c>, never by the client, so a distributor only ever hears about itself.</summary>
[Authorize(Policy = Roles.Distributor)]
public sealed class DistributorHub : Hub
{
    public const string Path = "/hubs/distributor";

    public static string GroupOf(string distributorId) => $"distributor:{distributorId}";

    public override async Task OnConnectedAsync()
    {
        var distributorId = Context.User?.FindFirst(Roles.DistributorIdClaim)?.Value;
        if (string.IsNullOrEmpty(distributorId))
        {
            Context.Abort();
            return;
        }
        await Groups.AddToGroupAsync(Context.ConnectionId, GroupOf(distributorId));
        await base.OnConnectedAsync();
    }
}
