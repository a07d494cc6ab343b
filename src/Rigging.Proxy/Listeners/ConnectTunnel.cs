using System.Buffers;
using System.IO.Pipelines;
using System.Text;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Http;
using Rigging.Proxy.Routing;

namespace Rigging.Proxy.Listeners;

/// <summary>
/// HTTP CONNECT on an HTTP listener (an app's HTTP_PROXY tunnelling TCP or TLS): the request head is read before
/// Kestrel's parser sees the connection, the authority picks a virtual host and route from the chain's route
/// table, and the connection becomes a TCP tunnel to that route's cluster once "200 Connection established" is
/// sent. No route answers 404, a direct-response route its status, an unreachable cluster 503, a malformed head
/// 400; each closes the connection. An ORIGINAL_DST cluster (Istio's PassthroughCluster) tunnels to the authority.
/// </summary>
internal static class ConnectTunnel
{
    private static readonly byte[] HeadEnd = "\r\n\r\n"u8.ToArray();
    private static readonly byte[] Established = "HTTP/1.1 200 Connection established\r\n\r\n"u8.ToArray();
    private static readonly byte[] BadRequest = Reply("400 Bad Request");
    private static readonly byte[] NotFound = Reply("404 Not Found");
    private static readonly byte[] Unavailable = Reply("503 Service Unavailable");
    private static readonly byte[] HeaderTooLarge = Reply("431 Request Header Fields Too Large");

    public static async Task HandleAsync(ConnectionContext connection, HttpConnectionManagerModel hcm, ProxyServices services)
    {
        var authority = await ReadHeadAsync(connection.Transport.Input, services.Limits.MaxRequestHeadersBytes).ConfigureAwait(false);
        if (authority is null or { Length: 0 })
        {
            await CloseWithAsync(connection, authority is null ? HeaderTooLarge : BadRequest).ConfigureAwait(false);
            return;
        }
        var snapshot = services.State.Current;
        var table = hcm.InlineRoutes ?? (hcm.RouteConfigName is { } name ? snapshot.Routes.GetValueOrDefault(name) : null);
        var host = table?.FindVirtualHost(authority);
        var route = host?.Match(ConnectRequest(authority));
        if (route?.Action is DirectResponseModel direct)
        {
            // A route that answers itself (Istio's REGISTRY_ONLY block_all: 502) answers the CONNECT the same way.
            await CloseWithAsync(connection, Reply($"{direct.Status} {Microsoft.AspNetCore.WebUtilities.ReasonPhrases.GetReasonPhrase(direct.Status)}")).ConfigureAwait(false);
            return;
        }
        if (route?.Action is not ForwardAction forward)
        {
            services.Stats.Increment(hcm.StatPrefix, "response_flags_NR");
            await CloseWithAsync(connection, NotFound).ConfigureAwait(false);
            return;
        }
        var clusterName = services.Tcp.PickCluster(forward.Clusters);
        if (clusterName is null || !snapshot.Clusters.TryGetValue(clusterName, out var cluster))
        {
            services.Stats.Increment(hcm.StatPrefix, "response_flags_NC");
            await CloseWithAsync(connection, Unavailable).ConfigureAwait(false);
            return;
        }
        services.Stats.Increment(hcm.StatPrefix, "downstream_cx_upgrades_total");
        await services.Tcp.TunnelAsync(connection, cluster, hcm.StatPrefix, services.Limits.IdleTimeout, Established, Unavailable, authority).ConfigureAwait(false);
    }

    /// <summary>Reads and consumes "CONNECT authority HTTP/1.1 ... CRLF CRLF"; "" when malformed, null when too large.</summary>
    private static async Task<string?> ReadHeadAsync(PipeReader input, int maxBytes)
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        while (true)
        {
            ReadResult result;
            try
            {
                result = await input.ReadAsync(deadline.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return "";
            }
            var buffer = result.Buffer;
            var reader = new SequenceReader<byte>(buffer);
            if (reader.TryReadTo(out ReadOnlySequence<byte> head, HeadEnd, advancePastDelimiter: true))
            {
                var text = Encoding.ASCII.GetString(head);
                input.AdvanceTo(reader.Position);
                return ParseAuthority(text);
            }
            if (buffer.Length > maxBytes)
            {
                input.AdvanceTo(buffer.End);
                return null;
            }
            if (result.IsCompleted)
            {
                input.AdvanceTo(buffer.End);
                return "";
            }
            input.AdvanceTo(buffer.Start, buffer.End);
        }
    }

    private static string ParseAuthority(string head)
    {
        var lineEnd = head.IndexOf("\r\n", StringComparison.Ordinal);
        var line = lineEnd < 0 ? head : head[..lineEnd];
        var parts = line.Split(' ');
        if (parts.Length != 3 || parts[0] != "CONNECT" || !parts[2].StartsWith("HTTP/1.", StringComparison.Ordinal)) return "";
        var authority = parts[1];
        // RFC 9110 §9.3.6: authority-form, host and port, nothing else.
        var colon = authority.LastIndexOf(':');
        if (colon <= 0 || !ushort.TryParse(authority.AsSpan(colon + 1), out var port) || port == 0) return "";
        foreach (var c in authority)
        {
            if (c <= ' ' || c is '/' or '?' or '#' or '@' or (>= (char)0x7f)) return "";
        }
        return authority;
    }

    private static HttpRequest ConnectRequest(string authority)
    {
        var context = new DefaultHttpContext();
        context.Request.Method = HttpMethods.Connect;
        context.Request.Path = "/";
        context.Request.Host = new HostString(authority);
        return context.Request;
    }

    private static byte[] Reply(string status) => Encoding.ASCII.GetBytes($"HTTP/1.1 {status}\r\ncontent-length: 0\r\nconnection: close\r\n\r\n");

    private static async Task CloseWithAsync(ConnectionContext connection, byte[] reply)
    {
        try
        {
            await connection.Transport.Output.WriteAsync(reply).ConfigureAwait(false);
            await connection.Transport.Output.CompleteAsync().ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or InvalidOperationException or ConnectionResetException)
        {
            // The client left first.
        }
    }
}
