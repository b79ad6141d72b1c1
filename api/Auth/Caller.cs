using System.Security.Claims;
using Routing.Api.Infrastructure;
using Routing.Contracts.Alerts;
using Routing.Contracts.Customers;
using Routing.Contracts.Orders;
using Routing.Contracts.Stock;
using Routing.Domain;
using Routing.Grains.History;

namespace Routing.Api.Auth;

/// <summary>Whose resource a route's <c>{id}</c> names.</summary>
public enum Owner
{
    Distributor,
    Customer,
}

/// <summary>Who is calling, from the token's claims, and what that caller may see and do: the one place access rules
/// are written down. The token rules (<see cref="TokenRules"/>) guarantee exactly one known role and the id claim it
/// needs, so none of these can fail open. A resource that is not the caller's is answered like one that does not exist
/// (404), so its existence does not leak either; what a role may not do at all is refused (403).</summary>
public sealed record Caller(string Subject, string Role, string? DistributorId, string? CustomerId, string? SalesId)
{
    public static Caller From(ClaimsPrincipal user) => new(
        user.FindFirstValue("sub") ?? "",
        user.FindFirstValue(Roles.RoleClaim) ?? "",
        user.FindFirstValue(Roles.DistributorIdClaim),
        user.FindFirstValue(Roles.CustomerIdClaim),
        user.FindFirstValue(Roles.SalesIdClaim));

    public bool IsOps => Role == Roles.Ops;
    public bool IsDistributor => Role == Roles.Distributor && DistributorId is not null;
    public bool IsCustomer => Role == Roles.Customer && CustomerId is not null;
    /// <summary>The ERP and payment integrations: they read every order (to bill it) and change only its payment.</summary>
    public bool IsErp => Role == Roles.Erp;
    /// <summary>A sales manager: it sees and changes the orders placed under it (<see cref="OrderView.SalesManagerId"/>)
    /// and reads the customers it manages, nothing else. It owns nothing (<see cref="Owns"/>), so every rule written
    /// for owners refuses it unless it names sales managers.</summary>
    public bool IsSales => Role == Roles.Sales && SalesId is not null;

    /// <summary>Ops own every distributor and customer; a distributor owns itself; a customer owns itself.</summary>
    public bool Owns(Owner kind, string id) => IsOps || kind switch
    {
        Owner.Distributor => IsDistributor && DistributorId == id,
        Owner.Customer => IsCustomer && CustomerId == id,
    };

    /// <summary>Ops and the ERP see every order; a customer its own; a distributor those allocated to it; a sales manager
    /// those placed under it.</summary>
    public bool CanSee(OrderView order) =>
        IsErp || Owns(Owner.Customer, order.CustomerId) || order.Allocations.Any(a => Owns(Owner.Distributor, a.DistributorId))
        || IsSalesManagerOf(order);

    /// <summary>Cancelling an order or routing it again is for ops, the customer who placed it and the sales manager it
    /// was placed under.</summary>
    public bool CanChange(OrderView order) => Owns(Owner.Customer, order.CustomerId) || IsSalesManagerOf(order);

    /// <summary>A sales manager manages the customers whose profile names it.</summary>
    public bool Manages(CustomerProfile customer) => IsSales && customer.SalesManagerId == SalesId;

    /// <summary>Ops read every customer; a customer itself; a sales manager those it manages. Unlike <see cref="Owns"/>
    /// this needs the profile, so an endpoint checks it after loading the customer, answering 404 as if it did not exist.</summary>
    public bool CanSee(CustomerProfile customer) => Owns(Owner.Customer, customer.Id) || Manages(customer);

    /// <summary>Whether resources of this kind are closed to the caller's role altogether, whatever the id: a sales
    /// manager has no distributor's stock, reservations, ledger or profile to read (403, which says nothing of the id).</summary>
    public bool ShutOutOf(Owner kind) => IsSales && kind == Owner.Distributor;

    /// <summary>Whether this caller takes pre-orders at all (for the customers <see cref="CanTakePreOrderFor"/> allows).</summary>
    public bool MayTakePreOrders => IsOps || IsSales;

    /// <summary>Pre-orders (预下单) are taken by ops for any customer and by a sales manager for the customers it manages.</summary>
    public bool CanTakePreOrderFor(CustomerProfile customer) => IsOps || Manages(customer);

    /// <summary>The <c>cancelReason</c> code of a cancellation by this caller (a sales manager cancels with its customer's
    /// rights, under its own code).</summary>
    public string CancelReasonCode => IsOps ? CancelReasons.ByOps : IsSales ? CancelReasons.BySalesManager : CancelReasons.ByCustomer;

    /// <summary>The share of an order a fulfilment step moves: ops may name one (none: every share); a distributor always
    /// moves its own and may name no other. Not allowed for anyone else.</summary>
    public (bool Allowed, string? Share) FulfilmentShare(string? asked) =>
        IsOps ? (true, asked)
        : IsDistributor && (asked is null || asked == DistributorId) ? (true, DistributorId)
        : (false, null);

    /// <summary>Ops see every transfer; a distributor those from or to it.</summary>
    public bool CanSee(TransferView transfer) =>
        Owns(Owner.Distributor, transfer.FromDistributorId) || Owns(Owner.Distributor, transfer.ToDistributorId);

    /// <summary>Transfers are requested and cancelled by ops, dispatched by ops or the source, received by ops or the destination.</summary>
    public bool CanDispatch(TransferView transfer) => Owns(Owner.Distributor, transfer.FromDistributorId);

    public bool CanReceive(TransferView transfer) => Owns(Owner.Distributor, transfer.ToDistributorId);

    /// <summary>Ops see every return; a customer its own; a distributor those coming back to it.</summary>
    public bool CanSee(ReturnView r) => Owns(Owner.Customer, r.CustomerId) || Owns(Owner.Distributor, r.DistributorId);

    /// <summary>A return is asked for by ops or by the customer whose order it is, and received by ops or its distributor.</summary>
    public bool CanRequestReturn(OrderView order) => Owns(Owner.Customer, order.CustomerId);

    public bool CanReceive(ReturnView r) => Owns(Owner.Distributor, r.DistributorId);

    /// <summary>Returns and transfers are for ops, distributors and (returns) customers; not for sales managers or the ERP.</summary>
    public bool ShutOutOfStockOperations => IsSales || IsErp;

    /// <summary>An operation list narrowed to what this caller may see: a customer its own, a distributor its own.</summary>
    public OperationSearch Scope(OperationSearch search) =>
        IsOps ? search
        : IsCustomer ? search with { CustomerId = CustomerId }
        : IsDistributor ? search with { DistributorId = DistributorId }
        : throw new InvalidOperationException($"a {Role} token reached a stock operation list");

    /// <summary>Ops see every alert; a distributor its own.</summary>
    public bool CanSee(Alert alert) => IsOps || (alert.DistributorId is { } d && Owns(Owner.Distributor, d));

    /// <summary>Alerts are for ops and distributors, not customers.</summary>
    public bool ReadsAlerts => IsOps || IsDistributor;

    /// <summary>An order as this caller may see it. Ops see everything. Others (the ERP and sales managers too, as its
    /// customer does) never see how other distributors fared:
    /// no routing explanation (it names every candidate's stock and capacity), a routing failure's reason in general
    /// words (the detailed one quotes stock levels), and substitutes' availability only up to what the order needs.
    /// A distributor sees only its own allocations and its own share, and not which distributor is the customer's home.</summary>
    public OrderView Project(OrderView order)
    {
        if (IsOps) return order;
        return order with
        {
            Explanation = null,
            Allocations = IsDistributor ? [.. order.Allocations.Where(a => a.DistributorId == DistributorId)] : order.Allocations,
            Shares = IsDistributor ? [.. order.Shares.Where(s => s.DistributorId == DistributorId)] : order.Shares,
            HomeDistributorId = IsDistributor && order.HomeDistributorId != DistributorId ? null : order.HomeDistributorId,
            Reason = PublicReason(order),
            Suggestions = order.Suggestions.Count == 0 ? order.Suggestions : [.. order.Suggestions.Select(s =>
                s with { AvailableNearby = Math.Min(s.AvailableNearby, order.Lines.Where(l => l.Sku == s.OriginalSku).Sum(l => l.Quantity)) })],
        };
    }

    /// <summary>A search narrowed to what this caller may see, whatever its query asked for.</summary>
    public OrderSearch Scope(OrderSearch search) =>
        IsOps || IsErp ? search
        : IsCustomer ? search with { CustomerId = CustomerId }
        : IsDistributor ? search with { DistributorId = DistributorId }
        : IsSales ? search with { SalesManagerId = SalesId }
        : throw new InvalidOperationException("a token without a known role reached an endpoint");

    private bool IsSalesManagerOf(OrderView order) => IsSales && order.SalesManagerId == SalesId;

    private static string? PublicReason(OrderView order) => order.Status switch
    {
        OrderStatus.Rejected => "no distributor serving this customer can fill the order now",
        OrderStatus.AwaitingSubstitution => "not fillable as ordered; substitutes in stock nearby are suggested",
        OrderStatus.Backordered => "waiting for stock",
        OrderStatus.Exception => "in review by operations",
        OrderStatus.OnHold => "reserved, and held for review by operations",
        OrderStatus.Allocated or OrderStatus.Confirmed or OrderStatus.Shipped or OrderStatus.Completed
            or OrderStatus.Cancelled or OrderStatus.PreOrder => order.Reason,
    };
}

public static class CallerExtensions
{
    public static Caller Caller(this HttpContext context) => Auth.Caller.From(context.User);

    /// <summary>The endpoint's route value <c>{id}</c> names a resource of <paramref name="owner"/>'s kind; a caller who
    /// does not own it is answered 404, exactly as if it did not exist (403 when the caller's role is shut out of the
    /// kind altogether, <see cref="Caller.ShutOutOf"/>).</summary>
    public static RouteHandlerBuilder OwnedBy(this RouteHandlerBuilder endpoint, Owner owner) =>
        endpoint.AddEndpointFilter(async (context, next) =>
        {
            var id = context.HttpContext.Request.RouteValues["id"] as string ?? "";
            var caller = context.HttpContext.Caller();
            if (caller.ShutOutOf(owner)) return Problems.Forbidden($"a {caller.Role} token has no access to {owner.ToString().ToLowerInvariant()}s");
            return caller.Owns(owner, id)
                ? await next(context)
                : Problems.NotFound($"{owner.ToString().ToLowerInvariant()} '{id}' does not exist");
        }).ProducesProblem(403);
}
