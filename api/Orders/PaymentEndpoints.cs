using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Http.HttpResults;
using Routing.Api.Auth;
using Routing.Api.Infrastructure;
using Routing.Contracts.Orders;
using Routing.Domain.Rules;

namespace Routing.Api.Orders;

/// <summary>A payment of an order's total, under the payment's own id (a retry with the same id changes nothing).</summary>
public sealed record PaymentRequest(
    [property: Required, StringLength(Limits.MaxIdempotencyKeyLength), RegularExpression(Limits.IdPattern)] string PaymentId,
    [property: Range(0.0, Limits.MaxPrice * Limits.MaxOrderQuantity)] decimal Amount);

/// <summary>The refund of a cancelled paid order, under the refund's own id.</summary>
public sealed record RefundRequest(
    [property: Required, StringLength(Limits.MaxIdempotencyKeyLength), RegularExpression(Limits.IdPattern)] string RefundId);

/// <summary>Payments and refunds, from the payment integration (erp) or ops. A campaign with <c>paymentWindowSeconds</c>
/// gives each order it allocates a pending payment of its total; unpaid at <c>dueAt</c>, the order is cancelled
/// (<c>paymentExpired</c>) by the campaign's payment sweep and gives back its stock, campaign units and limit.</summary>
public static class PaymentEndpoints
{
    public static void MapPaymentEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/orders").WithTags("Orders").RequireAuthorization(Roles.Payments);

        group.MapPost("/{id}/payment", async Task<Results<Ok<OrderView>, ProblemHttpResult>> (string id, PaymentRequest body, HttpContext http, IGrainFactory grains) =>
            ToResult(http.Caller(), await grains.GetGrain<IOrderGrain>(id).PayAsync(body.PaymentId, body.Amount)))
            .WithName("payOrder").WithSummary("Record the payment of an order's total, by its deadline (idempotent by paymentId)")
            .ProducesValidationProblem().ProducesProblem(404)
            .ProducesProblemCodes(409, "noPaymentDue", "alreadyPaid", "paymentClosed").ProducesProblemCodes(422, "amountMismatch");

        group.MapPost("/{id}/refund", async Task<Results<Ok<OrderView>, ProblemHttpResult>> (string id, RefundRequest body, HttpContext http, IGrainFactory grains) =>
            ToResult(http.Caller(), await grains.GetGrain<IOrderGrain>(id).RefundAsync(body.RefundId)))
            .WithName("refundOrder").WithSummary("Record the refund a cancelled paid order is due (idempotent by refundId)")
            .ProducesValidationProblem().ProducesProblem(404).ProducesProblemCodes(409, "noRefundDue", "alreadyRefunded");
    }

    private static Results<Ok<OrderView>, ProblemHttpResult> ToResult(Caller caller, PaymentResult result) =>
        result.Order is not { } order ? Problems.NotFound("order does not exist") : result.Change switch
        {
            PaymentChange.Done or PaymentChange.Repeat => TypedResults.Ok(caller.Project(order)),
            PaymentChange.NoPaymentDue => Problems.Conflict("noPaymentDue", "this order has no payment due (its campaign sets no payment window, or it was never allocated)"),
            PaymentChange.AlreadyPaid => Problems.Conflict("alreadyPaid", $"the order is already paid, by payment '{order.Payment!.PaymentId}'"),
            PaymentChange.Closed or PaymentChange.Overdue => Problems.Conflict("paymentClosed", $"nothing can be paid: the order is {order.Status} (payment {order.Payment!.Status})"),
            PaymentChange.AmountMismatch => Problems.Unprocessable("amountMismatch", $"the amount must be the order's total, {order.Payment!.Amount}"),
            PaymentChange.NoRefundDue => Problems.Conflict("noRefundDue", $"no refund is due: the payment is {order.Payment?.Status.ToString() ?? "none"}"),
            PaymentChange.AlreadyRefunded => Problems.Conflict("alreadyRefunded", $"the order is already refunded, by refund '{order.Payment!.RefundId}'"),
        };
}
