using System.Globalization;
using System.Net;

namespace Rigging.Proxy.Clusters.OriginalDestination;

/// <summary>
/// Reads an original destination written as an authority: <c>host:port</c>, <c>[v6]:port</c>, or a bare host that
/// takes the scheme's default port. Apps reach this proxy through HTTP_PROXY, so for an HTTP request the original
/// destination is the authority it asked for, and for CONNECT the tunnel's target.
/// </summary>
public static class DestinationAuthority
{
    /// <summary>Splits and checks an authority; false (with the reason) when it names no reachable host and port.</summary>
    public static bool TryParse(string? authority, int defaultPort, out string host, out int port, out string? problem)
    {
        host = "";
        port = 0;
        problem = null;
        if (string.IsNullOrEmpty(authority))
        {
            problem = "the request names no authority";
            return false;
        }
        string portText;
        if (authority[0] == '[')
        {
            var close = authority.IndexOf(']', StringComparison.Ordinal);
            if (close < 0 || !IPAddress.TryParse(authority.AsSpan(1, close - 1), out var v6) || v6.AddressFamily != System.Net.Sockets.AddressFamily.InterNetworkV6)
            {
                problem = $"\"{authority}\" is not a bracketed IPv6 address";
                return false;
            }
            host = authority[..(close + 1)];
            if (close + 1 < authority.Length && authority[close + 1] != ':')
            {
                problem = $"\"{authority}\" has text after the IPv6 address";
                return false;
            }
            portText = close + 1 < authority.Length ? authority[(close + 2)..] : "";
        }
        else
        {
            var colon = authority.IndexOf(':', StringComparison.Ordinal);
            if (colon != authority.LastIndexOf(':'))
            {
                problem = $"\"{authority}\" has more than one ':' (an IPv6 address needs brackets)";
                return false;
            }
            host = colon < 0 ? authority : authority[..colon];
            portText = colon < 0 ? "" : authority[(colon + 1)..];
            if (Uri.CheckHostName(host) is not (UriHostNameType.Dns or UriHostNameType.IPv4))
            {
                problem = $"\"{host}\" is not a host name or IPv4 address";
                return false;
            }
        }
        if (portText.Length == 0 && authority[^1] != ':')
        {
            port = defaultPort;
            return true;
        }
        if (!int.TryParse(portText, NumberStyles.None, CultureInfo.InvariantCulture, out port) || port is < 1 or > 65535)
        {
            problem = $"\"{authority}\" has port \"{portText}\"; it must be 1-65535";
            return false;
        }
        return true;
    }

    /// <summary>Envoy's override header takes a resolved address only: <c>IP:port</c> or <c>[IPv6]:port</c>.</summary>
    public static bool IsAddressAndPort(string value) => IPEndPoint.TryParse(value, out var endpoint) && endpoint.Port != 0;

    /// <summary>
    /// True when host:port is the local end of the connection the request came in on: passing it through would loop
    /// back into this proxy (Istio blackholes connections to the outbound listener's own port for the same reason).
    /// </summary>
    public static bool IsListener(string host, int port, IPAddress? localAddress, int localPort)
    {
        if (localAddress is null || port != localPort) return false;
        if (host.Equals("localhost", StringComparison.OrdinalIgnoreCase)) return true;
        var literal = host.Length > 1 && host[0] == '[' ? host.AsSpan(1, host.Length - 2) : host.AsSpan();
        if (!IPAddress.TryParse(literal, out var address)) return false;
        return address.Equals(localAddress) || (IPAddress.IsLoopback(address) && IPAddress.IsLoopback(localAddress));
    }
}
