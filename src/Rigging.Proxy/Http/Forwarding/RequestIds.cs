using Microsoft.AspNetCore.Http;

namespace Rigging.Proxy.Http.Forwarding;

/// <summary>The request's x-request-id: the client's, or one generated once per request (a UUID, as Envoy makes).</summary>
internal static class RequestIds
{
    private const string ItemKey = "rigging.request-id";

    public static string Get(HttpContext context)
    {
        if (context.Request.Headers.TryGetValue("x-request-id", out var given) && given.Count > 0 && !string.IsNullOrEmpty(given[0])) return given[0]!;
        if (context.Items.TryGetValue(ItemKey, out var made) && made is string id) return id;
        id = Guid.NewGuid().ToString();
        context.Items[ItemKey] = id;
        return id;
    }
}
