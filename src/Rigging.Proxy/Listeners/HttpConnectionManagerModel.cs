using System.Collections.Immutable;
using Rigging.Proxy.Routing;

namespace Rigging.Proxy.Listeners;

/// <summary>A compiled HttpConnectionManager: where its routes come from and its HTTP filters, in order.</summary>
public sealed record HttpConnectionManagerModel(string StatPrefix, string? RouteConfigName, RouteTable? InlineRoutes, ImmutableArray<HttpFilterConfig> Filters)
    : NetworkFilterModel(StatPrefix)
{
    /// <summary>Trust x-forwarded-for from the client (use_remote_address=false keeps the chain as given).</summary>
    public bool UseRemoteAddress { get; init; } = true;

    /// <summary>forward_client_cert_details: what happens to x-forwarded-client-cert (Envoy's default: SANITIZE).</summary>
    public Security.ForwardClientCertMode ForwardClientCert { get; init; }

    /// <summary>set_current_client_cert_details: which peer certificate fields APPEND_FORWARD / SANITIZE_SET add.</summary>
    public Security.ClientCertDetails ClientCertDetails { get; init; }
}

/// <summary>One HTTP filter's name and its compiled instance (null for the router, which is the handler itself).</summary>
public sealed record HttpFilterConfig(string Name, Http.Filters.IHttpFilter? Filter);
