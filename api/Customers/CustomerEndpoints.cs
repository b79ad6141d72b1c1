using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Http.HttpResults;
using Routing.Api.Auth;
using Routing.Api.Infrastructure;
using Routing.Contracts;
using Routing.Contracts.Customers;
using Routing.Contracts.Distributors;
using Routing.Contracts.Orders;
using Routing.Grains.History;

namespace Routing.Api.Customers;

/// <summary>Create or update a customer; the home distributor (归属) and the sales manager (the <c>sales_id</c> of a
/// sales token, which then sees and changes the orders this customer places) are optional.</summary>
public sealed record CustomerRequest(
    [property: Required, StringLength(Limits.MaxIdLength), RegularExpression(Limits.IdPattern)] string Id,
    [property: Required, StringLength(Limits.MaxNameLength, MinimumLength = 1)] string Name,
    [property: Required, RegularExpression(Limits.RegionPattern)] string Region,
    [property: Required] LocationDto Location,
    [property: StringLength(Limits.MaxIdLength), RegularExpression(Limits.IdPattern)] string? HomeDistributorId = null,
    [property: StringLength(Limits.MaxCodeLength)] string? Kind = null,
    [property: StringLength(Limits.MaxIdLength), RegularExpression(Limits.IdPattern)] string? SalesManagerId = null)
{
    public CustomerProfile ToProfile() => new(Id, Name, Region, Location.ToGeoPoint(), HomeDistributorId, Kind ?? "grower", SalesManagerId);
}

/// <summary>A customer as the API shows it.</summary>
public sealed record CustomerResponse(string Id, string Name, string Region, LocationDto Location, string? HomeDistributorId, string Kind,
    string? SalesManagerId)
{
    public static CustomerResponse From(CustomerProfile p) =>
        new(p.Id, p.Name, p.Region, LocationDto.From(p.Location), p.HomeDistributorId, p.Kind, p.SalesManagerId);
}

public static class CustomerEndpoints
{
    public static void MapCustomerEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/customers").WithTags("Customers");

        group.MapPost("/", async Task<Results<Created<CustomerResponse>, Ok<CustomerResponse>, ProblemHttpResult>> (CustomerRequest body, IGrainFactory grains) =>
        {
            if (body.HomeDistributorId is { } home && await grains.GetGrain<IDistributorGrain>(home).GetProfileAsync() is null)
                return Problems.Unprocessable("unknownDistributor", $"home distributor '{home}' does not exist");
            var profile = body.ToProfile();
            var result = await grains.GetGrain<ICustomerGrain>(body.Id).UpsertAsync(profile);
            var response = CustomerResponse.From(profile);
            return result == UpsertResult.Created ? TypedResults.Created($"/api/customers/{body.Id}", response) : TypedResults.Ok(response);
        }).RequireAuthorization(Roles.Ops)
            .WithName("upsertCustomer").WithSummary("Create or update a customer").ProducesValidationProblem()
            .ProducesProblemCodes(422, "unknownDistributor");

        // Ops, the customer itself and its sales manager (Caller.CanSee): whether a sales manager manages the customer is
        // in its profile, so the check comes after loading it, and a customer the caller may not see does not exist for it.
        group.MapGet("/{id}", async Task<Results<Ok<CustomerResponse>, ProblemHttpResult>> (string id, HttpContext http, IGrainFactory grains) =>
            await VisibleCustomerAsync(id, http, grains) is { } profile
                ? TypedResults.Ok(CustomerResponse.From(profile))
                : Problems.NotFound($"customer '{id}' does not exist"))
            .WithName("getCustomer").WithSummary("Get a customer").ProducesProblem(404);

        // One page of the customer's orders, newest first (X-Total-Count, X-Page, X-Page-Size headers); a sales manager's
        // are those placed under it (Caller.Scope).
        group.MapGet("/{id}/orders", async Task<Results<Ok<List<OrderView>>, ProblemHttpResult>> (string id, int? page, int? pageSize,
            HttpContext http, IGrainFactory grains, IRoutingHistory history) =>
        {
            if (Paging.Check(page, pageSize) is { } badPaging) return badPaging;
            if (await VisibleCustomerAsync(id, http, grains) is null) return Problems.NotFound($"customer '{id}' does not exist");
            var caller = http.Caller();
            var found = await history.FindOrdersAsync(caller.Scope(new OrderSearch(CustomerId: id, Page: page ?? 1, PageSize: pageSize ?? Paging.DefaultPageSize)));
            Paging.AddHeaders(http, found.Total, found.Page, found.PageSize);
            return TypedResults.Ok(found.Items.Select(caller.Project).ToList());
        })
            .WithName("listCustomerOrders").WithSummary("List a customer's orders, newest first").Paged().ProducesProblem(404);
    }

    /// <summary>The customer, if it exists and the caller may see it (<see cref="Caller.CanSee(CustomerProfile)"/>);
    /// otherwise null, so its existence does not leak.</summary>
    private static async Task<CustomerProfile?> VisibleCustomerAsync(string id, HttpContext http, IGrainFactory grains) =>
        await grains.GetGrain<ICustomerGrain>(id).GetAsync() is { } profile && http.Caller().CanSee(profile) ? profile : null;
}
