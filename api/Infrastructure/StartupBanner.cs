using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Routing.Api.Auth;

namespace Routing.Api.Infrastructure;

/// <summary>Prints where the app listens and, in Development only, a ready ops token, so a newcomer can start at once.
/// Outside Development nothing secret goes to the log: tokens come from the <c>token</c> verb.</summary>
public sealed class StartupBanner(IHostApplicationLifetime lifetime, IServer server, IConfiguration configuration, IHostEnvironment environment)
    : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        lifetime.ApplicationStarted.Register(() =>
        {
            // Once started, Kestrel lists the addresses it bound (a port 0 replaced by the port it got), so a script that
            // starts the host on --urls http://127.0.0.1:0 reads its address here.
            var addresses = server.Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
            if (addresses.Count == 0) return; // the in-memory test server has no address to show
            var url = addresses.First();
            var all = string.Join(", ", addresses);
            if (!environment.IsDevelopment())
            {
                Console.WriteLine($"Routing is running at {all} ({environment.EnvironmentName})");
                return;
            }
            Console.WriteLine($"""

                Routing is running at {all}
                  ops console:  {url}/
                  OpenAPI:      {url}/openapi/v1.json
                  API docs:     {url}/docs
                  ops token (12 h):
                {TokenIssuer.Issue(configuration, Roles.Ops, subject: "ops-console")}

                  try:  curl -H "Authorization: Bearer <token>" {url}/api/campaigns
                  more tokens:  dotnet run --project api -- token --role distributor --distributor d-01

                """);
        });
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
