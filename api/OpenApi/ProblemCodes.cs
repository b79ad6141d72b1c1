namespace Routing.Api.OpenApi;

/// <summary>Endpoint metadata: the problem <c>code</c>s an endpoint answers with one status, e.g. 409 <c>soldOut</c>.
/// The document lists them in that answer's description; the answer's body is the <c>ProblemDetails</c> schema.</summary>
public sealed record ProblemCodes(int StatusCode, IReadOnlyList<string> Codes);

/// <summary><c>.ProducesProblemCodes(409, "campaignNotOpen", "soldOut")</c> on an endpoint: it answers that status with
/// a problem document carrying one of those codes (<c>.ProducesProblem(status)</c> declares a status without codes).</summary>
public static class ProblemCodesExtensions
{
    public static TBuilder ProducesProblemCodes<TBuilder>(this TBuilder builder, int statusCode, params string[] codes)
        where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(new ProblemCodes(statusCode, codes));
}
