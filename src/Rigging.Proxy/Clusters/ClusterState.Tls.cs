using System.Collections.Frozen;
using System.Net.Http;
using System.Net.Sockets;
using Rigging.Proxy.Security;
using Rigging.Proxy.Security.Tls;
using Rigging.Proxy.Telemetry;

namespace Rigging.Proxy.Clusters;

/// <summary>
/// Upstream TLS: each endpoint carries the transport socket chosen for it (transport_socket_matches), so TLS and
/// plaintext endpoints share one handler whose connect step originates TLS where the endpoint needs it. The HTTP
/// version is fixed per cluster; h2 rides inside TLS when the cluster speaks HTTP/2.
/// </summary>
public sealed partial class ClusterState
{
    private readonly SecretStore _secrets;
    private readonly ProxyStats? _stats;
    private readonly string _tlsPrefix;

    private static bool HasTls(ClusterModel model)
    {
        foreach (var endpoint in model.Endpoints)
        {
            if (endpoint.Tls is not null) return true;
        }
        return false;
    }

    private static FrozenDictionary<string, UpstreamTlsModel>? TlsByEndpoint(ClusterModel model)
    {
        if (!HasTls(model)) return null;
        var map = new Dictionary<string, UpstreamTlsModel>(StringComparer.Ordinal);
        foreach (var endpoint in model.Endpoints)
        {
            if (endpoint.Tls is { } tls) map[endpoint.Key] = tls;
        }
        return map.ToFrozenDictionary(StringComparer.Ordinal);
    }

    /// <summary>Pooled connections were made with the old TLS choice per endpoint; when it changes the pool is replaced.</summary>
    private static bool SameTransportSockets(ClusterModel previous, ClusterModel next)
    {
        var before = TlsByEndpoint(previous);
        var after = TlsByEndpoint(next);
        if (before is null || after is null) return before is null && after is null;
        if (before.Count != after.Count) return false;
        foreach (var (key, tls) in before)
        {
            if (!after.TryGetValue(key, out var other) || !other.Equals(tls)) return false;
        }
        return true;
    }

    private async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken cancellation)
    {
        var target = context.DnsEndPoint;
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(target, cancellation).ConfigureAwait(false);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
        var network = new NetworkStream(socket, ownsSocket: true);
        var current = _current;
        if (current.Tls is null || !current.Tls.TryGetValue($"{target.Host}:{target.Port}", out var tls)) return network;
        // The stream is the SslStream's now (disposed by it on failure).
        return await UpstreamTlsConnector.ConnectAsync(network, tls, tls.Alpn(current.Model.Http2 || context.InitialRequestMessage.Version.Major == 2), _secrets, _stats, _tlsPrefix, _time, cancellation)
            .ConfigureAwait(false);
    }

    /// <summary>
    /// For tcp_proxy: originates TLS over a connected upstream stream when the endpoint's transport socket says so
    /// (ALPN: only the mesh's "istio", the bytes inside are the client's), else returns the stream itself. Throws
    /// <see cref="UpstreamTlsException"/> (counted) when the handshake is refused.
    /// </summary>
    public async ValueTask<Stream> SecureAsync(Stream network, EndpointConfig endpoint, CancellationToken cancellation) =>
        endpoint.Tls is { } tls
            ? await UpstreamTlsConnector.ConnectAsync(network, tls, tls.TcpAlpn, _secrets, _stats, _tlsPrefix, _time, cancellation).ConfigureAwait(false)
            : network;
}
