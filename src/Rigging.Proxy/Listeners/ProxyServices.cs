using Rigging.Proxy.Config;
using Rigging.Proxy.Http;
using Rigging.Proxy.Tcp;
using Rigging.Proxy.Telemetry;

namespace Rigging.Proxy.Listeners;

/// <summary>What every listener's connections need: the config, the HTTP and TCP handlers, the stats.</summary>
public sealed record ProxyServices(ProxyState State, HttpProxyHandler Http, TcpProxyHandler Tcp, ProxyStats Stats, ProxyLimits Limits)
{
    /// <summary>Certificates and trust bundles TLS chains look up per handshake.</summary>
    public Security.SecretStore Secrets { get; init; } = new();

    /// <summary>The clock certificate validity is checked against.</summary>
    public TimeProvider Time { get; init; } = TimeProvider.System;
}

/// <summary>Downstream limits (Istio's defaults).</summary>
public sealed record ProxyLimits
{
    public int MaxRequestHeadersBytes { get; init; } = 60 * 1024;
    public int MaxRequestHeaderCount { get; init; } = 100;
    public int MaxConcurrentStreams { get; init; } = 100;
    public TimeSpan IdleTimeout { get; init; } = TimeSpan.FromHours(1);
    /// <summary>How long a client may take to send a request's headers (Kestrel's default is 30 s; slow-loris guard).</summary>
    public TimeSpan RequestHeadersTimeout { get; init; } = TimeSpan.FromSeconds(10);
    /// <summary>How long a removed listener lets its requests in flight finish.</summary>
    public TimeSpan DrainTime { get; init; } = TimeSpan.FromSeconds(5);
}
