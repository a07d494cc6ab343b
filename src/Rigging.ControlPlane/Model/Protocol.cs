namespace Rigging.ControlPlane.Model;

/// <summary>A port's protocol, decided as Istio does: appProtocol, then the port name's prefix (http-, grpc-...).</summary>
public enum Protocol
{
    Http,
    Http2,
    Grpc,
    Https,
    Tls,
    Tcp,

    /// <summary>
    /// Istio's "unsupported" protocol: an unnamed port, or a name or appProtocol Istio does not know. Istio sniffs
    /// it: HTTP traffic gets HTTP routing, policy and telemetry, anything else is proxied as TCP.
    /// </summary>
    Auto,
}

/// <summary>Istio's protocol selection rules.</summary>
public static class Protocols
{
    /// <summary>From a Kubernetes port: appProtocol wins, then the name ("http", "http-web", "grpc-api"...); else sniffed.</summary>
    public static Protocol FromPort(string? appProtocol, string? name)
    {
        if (!string.IsNullOrEmpty(appProtocol)) return Parse(appProtocol.StartsWith("kubernetes.io/", StringComparison.Ordinal) ? appProtocol[14..] : appProtocol);
        if (string.IsNullOrEmpty(name)) return Protocol.Auto;
        var dash = name.IndexOf('-');
        return Parse(dash < 0 ? name : name[..dash]);
    }

    public static Protocol Parse(string? value) => value?.ToUpperInvariant() switch
    {
        "HTTP" or "HTTP_PROXY" => Protocol.Http,
        "HTTP2" or "H2C" => Protocol.Http2,
        "GRPC" or "GRPC-WEB" => Protocol.Grpc,
        "HTTPS" => Protocol.Https,
        "TLS" => Protocol.Tls,
        "TCP" or "MONGO" or "REDIS" or "MYSQL" => Protocol.Tcp,
        _ => Protocol.Auto,
    };

    public static bool IsHttp(this Protocol protocol) => protocol is Protocol.Http or Protocol.Http2 or Protocol.Grpc;

    /// <summary>HTTP may arrive on the port: declared HTTP, or sniffed.</summary>
    public static bool MayBeHttp(this Protocol protocol) => protocol.IsHttp() || protocol == Protocol.Auto;

    /// <summary>Speak HTTP/2 upstream (gRPC and HTTP/2 ports).</summary>
    public static bool IsHttp2(this Protocol protocol) => protocol is Protocol.Http2 or Protocol.Grpc;
}
