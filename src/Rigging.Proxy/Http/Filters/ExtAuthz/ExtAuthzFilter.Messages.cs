using Microsoft.AspNetCore.Http;
using Rigging.Proxy.Http.Forwarding;

using Rigging.Proxy.Telemetry;

namespace Rigging.Proxy.Http.Filters.ExtAuthz;

public sealed partial class ExtAuthzFilter
{
    // Envoy always passes these to the authorization server (besides :method and :path, which the request line carries).
    private static readonly string[] AlwaysSent = ["authorization"];

    // With allowed_client_headers set, Envoy adds these to a denial anyway.
    private static readonly string[] AlwaysToClient = ["path", "status", "content-length", "www-authenticate", "location"];

    private HttpRequestMessage BuildCheck(HttpContext context, bool http2, string endpoint)
    {
        var incoming = context.Request;
        var target = new Uri($"http://{endpoint}{config.PathPrefix}{incoming.Path.Value}{incoming.QueryString.Value}", UriKind.Absolute);
        var check = new HttpRequestMessage(new HttpMethod(incoming.Method), target)
        {
            Version = http2 ? System.Net.HttpVersion.Version20 : System.Net.HttpVersion.Version11,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
            Content = new ByteArrayContent([]),
        };
        check.Headers.Host = incoming.Host.Value;
        foreach (var header in incoming.Headers)
        {
            var name = header.Key;
            if (name.Length == 0 || name[0] == ':' || HopByHopHeaders.IsHopByHop(name)) continue;
            if (name.Equals("host", StringComparison.OrdinalIgnoreCase) || name.Equals("content-length", StringComparison.OrdinalIgnoreCase)) continue;
            if (!IsAlwaysSent(name) && !ExtAuthzConfig.AnyMatches(config.AllowedHeaders, name)) continue;
            check.Headers.TryAddWithoutValidation(name, (IEnumerable<string?>)header.Value);
        }
        foreach (var (name, value) in config.HeadersToAdd)
        {
            check.Headers.Remove(name);
            check.Headers.TryAddWithoutValidation(name, value);
        }
        return check;
    }

    private static bool IsAlwaysSent(string name)
    {
        foreach (var always in AlwaysSent)
        {
            if (name.Equals(always, StringComparison.OrdinalIgnoreCase)) return true;
        }
        return false;
    }

    private void ApplyAllowed(HttpContext context, HttpResponseMessage answer)
    {
        var headers = context.Request.Headers;
        List<KeyValuePair<string, string[]>>? toClient = null;
        foreach (var (name, values) in answer.Headers)
        {
            var lower = name.ToLowerInvariant();
            var array = values.ToArray();
            if (ExtAuthzConfig.AnyMatches(config.UpstreamHeaders, lower)) headers[lower] = array;
            else if (ExtAuthzConfig.AnyMatches(config.UpstreamHeadersToAppend, lower)) headers.Append(lower, array);
            if (ExtAuthzConfig.AnyMatches(config.ClientHeadersOnSuccess, lower)) (toClient ??= []).Add(new(lower, array));
        }
        if (toClient is null) return;
        context.Response.OnStarting(static state =>
        {
            var (response, added) = ((HttpResponse, List<KeyValuePair<string, string[]>>))state;
            foreach (var (name, values) in added) response.Headers[name] = values;
            return Task.CompletedTask;
        }, (context.Response, toClient));
    }

    private async ValueTask<ForwardOutcome?> DenyAsync(HttpFilterContext request, HttpResponseMessage answer, CancellationToken cancellation)
    {
        request.Flags |= ResponseFlags.UnauthorizedExternalService;
        var response = request.Http.Response;
        var status = (int)answer.StatusCode;
        response.StatusCode = status;
        foreach (var (name, values) in answer.Headers.Concat(answer.Content.Headers))
        {
            var lower = name.ToLowerInvariant();
            if (lower is "host" or "content-length" || HopByHopHeaders.IsHopByHop(lower)) continue;
            if (config.ClientHeaders is { } allowed && !ExtAuthzConfig.AnyMatches(allowed, lower) && Array.IndexOf(AlwaysToClient, lower) < 0) continue;
            response.Headers[lower] = values.ToArray();
        }
        // The denial's body is passed on, bounded: a huge answer from the server is cut rather than buffered whole.
        var body = await answer.Content.ReadAsStreamAsync(cancellation).ConfigureAwait(false);
        var buffer = new byte[MaxDeniedBody];
        var length = 0;
        while (length < buffer.Length)
        {
            var read = await body.ReadAsync(buffer.AsMemory(length), cancellation).ConfigureAwait(false);
            if (read == 0) break;
            length += read;
        }
        response.ContentLength = length;
        await response.Body.WriteAsync(buffer.AsMemory(0, length), request.Http.RequestAborted).ConfigureAwait(false);
        return new ForwardOutcome(status, request.Flags, null);
    }
}
