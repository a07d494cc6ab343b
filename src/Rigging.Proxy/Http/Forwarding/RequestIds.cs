using Microsoft.AspNetCore.Http;

namespace Rigging.Proxy.Http.Forwarding;

/// <summary>
/// The request's x-request-id: the client's, or a new UUID (as Envoy makes). The forwarder asks once per request
/// and hands the id to every attempt and mirror (no per-request Items dictionary).
/// </summary>
internal static class RequestIds
{
    public static string Get(HttpContext context)
    {
        if (context.Request.Headers.TryGetValue("x-request-id", out var given) && given.Count > 0 && !string.IsNullOrEmpty(given[0])) return given[0]!;
        return Guid.NewGuid().ToString();
    }
}
