using Rigging.Api.Networking;
using Rigging.ControlPlane.Model;

namespace Rigging.ControlPlane.Translation.Security.GatewayTls;

/// <summary>
/// Istio's mergeGateways rules for servers that share a port on one gateway workload, applied in order (the first
/// server wins): a server with tls may not repeat a host an earlier tls server on the port already has (they would
/// be two filter chains with the same SNI match); the first server decides the port's kind — a plaintext port
/// (a server that is HTTP, or has no tls) takes only more HTTP servers, a TLS port only more servers with tls that
/// are not plain HTTP (distinct SNI chains). A refused server gets a message saying why; Istio logs it and counts a rejected config.
/// Bind addresses are not modelled: every server listens on 0.0.0.0.
/// </summary>
internal sealed class GatewayServerMerge
{
    private readonly Dictionary<int, First> _firstByPort = [];
    private readonly Dictionary<int, Dictionary<string, string>> _tlsHostsByPort = [];

    private sealed record First(Protocol Protocol, bool Plaintext, string Where);

    /// <summary>Null when the server joins its port; otherwise why it is left out.</summary>
    public string? Admit(Server server, int port, Protocol protocol, IReadOnlyList<string> hosts, string where)
    {
        Dictionary<string, string>? tlsHosts = null;
        if (server.Tls is not null)
        {
            if (!_tlsHostsByPort.TryGetValue(port, out tlsHosts)) _tlsHostsByPort[port] = tlsHosts = new(StringComparer.OrdinalIgnoreCase);
            var duplicates = hosts.Where(tlsHosts.ContainsKey).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
            if (duplicates.Count > 0)
                return $"duplicate host names on port {port}: {string.Join(", ", duplicates.Select(h => $"{h} (already in {tlsHosts[h]})"))}";
        }
        // Istio's IsTLSServer: tls settings on a protocol that is not plain HTTP (an httpsRedirect HTTP server is plaintext).
        var plaintext = server.Tls is null || protocol.IsHttp();
        if (_firstByPort.TryGetValue(port, out var first))
        {
            if (first.Plaintext && !(protocol.IsHttp() && first.Protocol.IsHttp()))
                return $"port {port} already serves {Name(first.Protocol)} (from {first.Where}); a {Name(protocol)} server cannot share it";
            if (!first.Plaintext && plaintext)
                return $"port {port} already serves {Name(first.Protocol)} with TLS (from {first.Where}); a plaintext {Name(protocol)} server cannot share it";
        }
        else
        {
            _firstByPort[port] = new First(protocol, plaintext, where);
        }
        if (tlsHosts is not null)
        {
            foreach (var host in hosts) tlsHosts.TryAdd(host, where);
        }
        return null;
    }

    private static string Name(Protocol protocol) => protocol.ToString().ToUpperInvariant();
}
