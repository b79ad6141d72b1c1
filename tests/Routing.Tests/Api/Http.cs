using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Routing.Tests.Api;

/// <summary>An HTTP answer read in full: status, content type, headers and body (parsed when it is JSON).</summary>
public sealed record Reply(HttpStatusCode Status, string? ContentType, HttpResponseHeaders Headers, string Text)
{
    public int Code => (int)Status;

    public JsonNode Json => JsonNode.Parse(Text) ?? throw new InvalidOperationException("the body is JSON null");

    public override string ToString() => $"{Code} {ContentType}: {(Text.Length > 600 ? Text[..600] + "…" : Text)}";
}

/// <summary>Sends requests the way an integrator would: JSON bodies in camelCase, or raw text for malformed input.</summary>
public static class Http
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static Task<Reply> GetJsonAsync(this HttpClient client, string path) => client.SendJsonAsync(HttpMethod.Get, path);

    public static Task<Reply> PostJsonAsync(this HttpClient client, string path, object? body, string? idempotencyKey = null) =>
        client.SendJsonAsync(HttpMethod.Post, path, body, idempotencyKey);

    public static Task<Reply> PutJsonAsync(this HttpClient client, string path, object? body) => client.SendJsonAsync(HttpMethod.Put, path, body);

    /// <summary>A body that is a <see cref="string"/> is sent as it is (malformed JSON, empty body); anything else is serialized.</summary>
    public static async Task<Reply> SendJsonAsync(this HttpClient client, HttpMethod method, string path, object? body = null,
        string? idempotencyKey = null, string contentType = "application/json")
    {
        using var request = new HttpRequestMessage(method, path);
        if (body is not null)
        {
            var text = body as string ?? JsonSerializer.Serialize(body, Json);
            request.Content = new StringContent(text, Encoding.UTF8, contentType);
        }
        if (idempotencyKey is not null) request.Headers.TryAddWithoutValidation("Idempotency-Key", idempotencyKey);
        using var response = await client.SendAsync(request);
        var content = await response.Content.ReadAsStringAsync();
        return new Reply(response.StatusCode, response.Content.Headers.ContentType?.MediaType, response.Headers, content);
    }

    /// <summary>Asserts a success status and returns the JSON body.</summary>
    public static JsonNode Expect(this Reply reply, HttpStatusCode status)
    {
        Assert.True(reply.Status == status, $"expected {(int)status}, got {reply}");
        Assert.Equal("application/json", reply.ContentType);
        return reply.Json;
    }

    /// <summary>Asserts an RFC 9457 problem document with this status: the content type, and <c>status</c> and <c>title</c> in the body.</summary>
    public static JsonNode ExpectProblem(this Reply reply, HttpStatusCode status)
    {
        Assert.True(reply.Status == status, $"expected {(int)status}, got {reply}");
        Assert.True(reply.ContentType == "application/problem+json", $"expected a problem document, got {reply}");
        var problem = reply.Json;
        Assert.Equal((int)status, (int?)problem["status"]);
        Assert.False(string.IsNullOrWhiteSpace((string?)problem["title"]), $"a problem needs a title: {reply}");
        return problem;
    }
}
