using System.Net;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Connections.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Rigging.Proxy.Security;

namespace Rigging.Proxy.Http.Filters.Rbac;

/// <summary>
/// What RBAC rules look at, gathered once per request (HTTP filter) or per connection (network filter):
/// the request (null on a connection: header and path rules never match there), the peer's addresses,
/// the local address, SNI, the mTLS peer identity, the verified JWT and dynamic metadata.
/// </summary>
public readonly struct RbacInput
{
    public HttpRequest? Request { get; init; }

    /// <summary>The connection's peer (Envoy's direct_remote_ip / source_ip).</summary>
    public IPAddress? DirectRemoteIp { get; init; }

    /// <summary>The original client (Envoy's remote_ip): the last x-forwarded-for hop when present, else the peer.</summary>
    public IPAddress? RemoteIp { get; init; }

    public IPAddress? DestinationIp { get; init; }

    public int DestinationPort { get; init; }

    public string? ServerName { get; init; }

    public PeerIdentity? Peer { get; init; }

    public RequestPrincipal? Jwt { get; init; }

    public FilterMetadata? Metadata { get; init; }

    public static RbacInput FromHttp(HttpContext context)
    {
        var connection = context.Connection;
        var features = context.Features;
        return new RbacInput
        {
            Request = context.Request,
            DirectRemoteIp = connection.RemoteIpAddress,
            RemoteIp = LastForwardedFor(context.Request) ?? connection.RemoteIpAddress,
            DestinationIp = connection.LocalIpAddress,
            DestinationPort = connection.LocalPort,
            ServerName = features.Get<ITlsHandshakeFeature>()?.HostName,
            Peer = features.Get<PeerIdentity>(),
            Jwt = features.Get<RequestPrincipal>(),
            Metadata = features.Get<FilterMetadata>(),
        };
    }

    public static RbacInput FromConnection(ConnectionContext connection, string? serverName)
    {
        var remote = (connection.RemoteEndPoint as IPEndPoint)?.Address;
        var local = connection.LocalEndPoint as IPEndPoint;
        return new RbacInput
        {
            DirectRemoteIp = remote,
            RemoteIp = remote,
            DestinationIp = local?.Address,
            DestinationPort = local?.Port ?? 0,
            ServerName = serverName ?? connection.Features.Get<ITlsHandshakeFeature>()?.HostName,
            Peer = connection.Features.Get<PeerIdentity>(),
        };
    }

    /// <summary>Envoy with xff_num_trusted_hops 0 trusts only the rightmost x-forwarded-for address.</summary>
    private static IPAddress? LastForwardedFor(HttpRequest request)
    {
        var values = request.Headers["x-forwarded-for"];
        if (values.Count == 0) return null;
        var last = values[values.Count - 1].AsSpan();
        var comma = last.LastIndexOf(',');
        if (comma >= 0) last = last[(comma + 1)..];
        return IPAddress.TryParse(last.Trim(), out var ip) ? ip : null;
    }
}
