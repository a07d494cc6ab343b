using System.Net;
using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;
using Rigging.Proxy.Clusters;

namespace Rigging.Proxy.Http.Forwarding;

public sealed partial class HttpForwarder
{
    private static readonly Version Http11 = HttpVersion.Version11;
    private static readonly Version Http2 = HttpVersion.Version20;

    private static HttpRequestMessage BuildRequest(HttpContext context, ClusterModel cluster, EndpointState endpoint, RoutedRequest routed, HttpContent? content,
        string requestId)
    {
        var incoming = context.Request;
        var path = RewritePath(incoming.Path.Value ?? "/", routed);
        // The scheme picks SocketsHttpHandler's pool, whose security is the h2 :scheme: https when this endpoint's
        // connection is our TLS carrying h2 (the handler then keeps the SslStream our ConnectCallback returns).
        var http2 = cluster.UpstreamHttp2(HttpProtocol.IsHttp2(incoming.Protocol));
        var scheme = http2 && endpoint.Config.Tls?.CarriesHttp2 == true ? "https://" : "http://";
        var target = new Uri(string.Concat(scheme, endpoint.Config.Key, path, incoming.QueryString.Value), UriKind.Absolute);
        var request = new HttpRequestMessage(Method(incoming.Method), target)
        {
            Version = http2 ? Http2 : Http11,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
            Content = content,
        };
        CopyRequestHeaders(context, request);
        request.Headers.Host = routed.Action.HostRewrite
            ?? (routed.Action.AutoHostRewrite ? endpoint.Config.Key : incoming.Host.Value);
        AddForwardingHeaders(context, request, requestId);
        routed.Route.RequestHeaders.Apply(request.Headers);
        routed.Host.RequestHeaders.Apply(request.Headers);
        routed.Table.RequestHeaders.Apply(request.Headers);
        return request;
    }

    private static void CopyRequestHeaders(HttpContext context, HttpRequestMessage request)
    {
        var incoming = context.Request;
        var connection = incoming.Headers[HeaderNames.Connection];
        foreach (var header in incoming.Headers)
        {
            var name = header.Key;
            if (name.Length > 0 && name[0] == ':') continue;
            if (HopByHopHeaders.IsHopByHop(name))
            {
                // gRPC needs "te: trailers" end to end; every other hop-by-hop header stays on this hop.
                if (name.Equals("te", StringComparison.OrdinalIgnoreCase) && header.Value.ToString().Contains("trailers", StringComparison.OrdinalIgnoreCase))
                    request.Headers.TryAddWithoutValidation("te", "trailers");
                continue;
            }
            if (connection.Count > 0 && HopByHopHeaders.IsListedIn(connection, name)) continue;
            var values = header.Value;
            // One value (nearly always) goes in as a string: no boxed StringValues, no per-header multi-value store.
            if (values.Count == 1)
            {
                var value = values[0];
                if (!request.Headers.TryAddWithoutValidation(name, value)) request.Content?.Headers.TryAddWithoutValidation(name, value);
            }
            else if (!request.Headers.TryAddWithoutValidation(name, (IEnumerable<string?>)values))
            {
                request.Content?.Headers.TryAddWithoutValidation(name, (IEnumerable<string?>)values);
            }
        }
    }

    /// <summary>The shared HttpMethod of a standard method (Kestrel's method strings are case-sensitive, so is this).</summary>
    private static HttpMethod Method(string method) => method switch
    {
        "GET" => HttpMethod.Get,
        "POST" => HttpMethod.Post,
        "PUT" => HttpMethod.Put,
        "DELETE" => HttpMethod.Delete,
        "HEAD" => HttpMethod.Head,
        "OPTIONS" => HttpMethod.Options,
        "PATCH" => HttpMethod.Patch,
        "TRACE" => HttpMethod.Trace,
        _ => new HttpMethod(method),
    };

    private static string RewritePath(string path, RoutedRequest routed)
    {
        var action = routed.Action;
        if (action.PrefixRewrite is { } rewrite && routed.Route.Match.Path.Prefix is { } prefix)
        {
            var rest = path.Length >= prefix.Length ? path[prefix.Length..] : "";
            // Envoy joins "/" + "" as "/" and avoids "//" when both sides bring a slash.
            return rewrite.EndsWith('/') && rest.StartsWith('/') ? rewrite + rest[1..] : rewrite + rest;
        }
        if (action.RegexRewrite is { } regex) return regex.Pattern.Replace(path, regex.Substitution);
        return path;
    }

    /// <summary>x-forwarded-for (the client appended), x-forwarded-proto and x-request-id (generated when absent).</summary>
    private static void AddForwardingHeaders(HttpContext context, HttpRequestMessage request, string requestId)
    {
        var client = context.Connection.RemoteIpAddress?.ToString();
        if (client is not null)
        {
            var existing = context.Request.Headers["x-forwarded-for"].ToString();
            request.Headers.Remove("x-forwarded-for");
            request.Headers.TryAddWithoutValidation("x-forwarded-for", existing.Length == 0 ? client : $"{existing}, {client}");
        }
        if (!request.Headers.Contains("x-forwarded-proto"))
            request.Headers.TryAddWithoutValidation("x-forwarded-proto", context.Request.IsHttps ? "https" : "http");
        if (!request.Headers.Contains("x-request-id"))
            request.Headers.TryAddWithoutValidation("x-request-id", requestId);
    }
}
