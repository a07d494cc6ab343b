using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Rigging.Api.Model;

namespace Rigging.ControlPlane.Security;

/// <summary>
/// <c>POST /apis/v1/tokens</c> on the control plane's HTTP port: <c>{"namespace","serviceAccount","ttl":"24h"}</c> →
/// <c>{"token","id","expires"}</c>. Only callers on the loopback interface are served: a token is a credential.
/// </summary>
public sealed class TokenEndpoint
{
    public const string Path = "/apis/v1/tokens";
    private const int MaxBody = 16 * 1024;
    private readonly BootstrapTokens _tokens;

    public TokenEndpoint(BootstrapTokens tokens) => _tokens = tokens;

    public static bool Handles(HttpContext context) =>
        string.Equals(context.Request.Path.Value, Path, StringComparison.Ordinal);

    public async Task HandleAsync(HttpContext context)
    {
        var response = context.Response;
        if (!HttpMethods.IsPost(context.Request.Method))
        {
            await WriteAsync(response, StatusCodes.Status405MethodNotAllowed, $"{Path} accepts POST only").ConfigureAwait(false);
            return;
        }

        if (context.Connection.RemoteIpAddress is not { } remote || !System.Net.IPAddress.IsLoopback(remote))
        {
            await WriteAsync(response, StatusCodes.Status403Forbidden, "tokens are issued to loopback callers only").ConfigureAwait(false);
            return;
        }

        CreateRequest? request;
        try
        {
            if (context.Request.ContentLength > MaxBody) throw new JsonException($"the body is larger than {MaxBody} bytes");
            request = await JsonSerializer.DeserializeAsync(context.Request.Body, WireContext.Default.CreateRequest, context.RequestAborted).ConfigureAwait(false);
        }
        catch (JsonException e)
        {
            await WriteAsync(response, StatusCodes.Status400BadRequest, $"the body is not a token request ({{\"namespace\",\"serviceAccount\",\"ttl\"}}): {e.Message}").ConfigureAwait(false);
            return;
        }

        var ttl = TimeSpan.FromHours(24);
        if (request?.Ttl is { Length: > 0 } text)
        {
            if (!Duration.TryParse(text, out var parsed))
            {
                await WriteAsync(response, StatusCodes.Status400BadRequest, $"ttl: Invalid value: \"{text}\": a duration such as 24h or 30m is required").ConfigureAwait(false);
                return;
            }
            ttl = parsed.Value;
        }

        var (token, claims, error) = _tokens.Issue(request?.Namespace, request?.ServiceAccount, ttl);
        if (token is null || claims is null)
        {
            await WriteAsync(response, StatusCodes.Status400BadRequest, error ?? "invalid request").ConfigureAwait(false);
            return;
        }

        response.ContentType = "application/json";
        response.Headers.CacheControl = "no-store";
        var body = new CreateResponse(token, claims.Id, claims.Namespace, claims.ServiceAccount, claims.Expires.ToString("O", CultureInfo.InvariantCulture));
        await JsonSerializer.SerializeAsync(response.Body, body, WireContext.Default.CreateResponse, context.RequestAborted).ConfigureAwait(false);
    }

    private static Task WriteAsync(HttpResponse response, int status, string message)
    {
        response.StatusCode = status;
        response.ContentType = "text/plain; charset=utf-8";
        return response.WriteAsync(message + "\n");
    }

    internal sealed record CreateRequest(string? Namespace, string? ServiceAccount, string? Ttl);

    internal sealed record CreateResponse(string Token, string Id, string Namespace, string ServiceAccount, string Expires);
}
