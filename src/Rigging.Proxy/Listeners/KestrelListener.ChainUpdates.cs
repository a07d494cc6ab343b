using System.Collections.Concurrent;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Connections.Features;
using Microsoft.AspNetCore.Http;

namespace Rigging.Proxy.Listeners;

public sealed partial class KestrelListener
{
    /// <summary>Live tcp_proxy connections and the chain each was accepted on.</summary>
    private readonly ConcurrentDictionary<ConnectionContext, FilterChainModel> _tcpConnections = new();

    /// <summary>
    /// After an update, a tcp_proxy connection whose chain is no longer configured as it was (new network RBAC, new
    /// cluster, a chain removed) is closed once the drain time has passed, as Envoy drains the connections of a
    /// changed filter chain; its bytes were judged by the old chain and must not flow under it indefinitely.
    /// Connections of unchanged chains (same <see cref="FilterChainModel.Config"/>) are left alone.
    /// </summary>
    private void DrainReplacedTcpConnections(ListenerModel model)
    {
        foreach (var (connection, chain) in _tcpConnections)
        {
            if (model.HasChainConfiguredAs(chain.Config)) continue;
            if (!_tcpConnections.TryRemove(connection, out _)) continue;
            _services.Stats.Increment(model.Name, "downstream_cx_drained");
            _ = CloseAfterDrainAsync(connection);
        }
    }

    private async Task CloseAfterDrainAsync(ConnectionContext connection)
    {
        await Task.Delay(_services.Limits.DrainTime, _services.Time).ConfigureAwait(false);
        connection.Abort(new ConnectionAbortedException("its filter chain was replaced"));
    }

    /// <summary>
    /// The chain a request runs on. A connection keeps the chain it was accepted on, but a config update may have
    /// replaced that chain since (a new AuthorizationPolicy, new routes): a keep-alive connection must not keep the
    /// old policy for as long as it lives. So the request is judged by the chain the connection would get now, when
    /// that chain is HTTP and the connection's transport satisfies it (same plaintext/TLS, no client certificate
    /// newly required); the connection then keeps it. Otherwise (now TCP, no chain, stricter TLS) the request is
    /// served on the old chain and the connection is closed after it, as Envoy drains connections of a removed
    /// chain: the client reconnects and the new chains decide.
    /// </summary>
    private FilterChainModel? ChainFor(HttpContext context)
    {
        if (context.Features.Get<IConnectionItemsFeature>()?.Items[ChainKey] is not AcceptedChain accepted) return null;
        var chain = accepted.Chain;
        var model = _model;
        if (model.Contains(chain)) return chain;
        var now = model.SelectChain(accepted.Facts);
        if (now?.Filter is HttpConnectionManagerModel && Satisfies(chain.Tls, now.Tls))
        {
            accepted.Chain = now;
            return now;
        }
        // Kestrel ends the connection once this response is written (Connection: close, or GOAWAY on HTTP/2).
        context.Features.Get<IConnectionLifetimeNotificationFeature>()?.RequestClose();
        return chain;
    }

    /// <summary>Whether a connection accepted with <paramref name="accepted"/>'s transport meets <paramref name="wanted"/>'s.</summary>
    private static bool Satisfies(Security.Tls.DownstreamTlsModel? accepted, Security.Tls.DownstreamTlsModel? wanted) =>
        (accepted, wanted) switch
        {
            (null, null) => true,
            ({ } was, { } now) => was.RequireClientCertificate || !now.RequireClientCertificate,
            _ => false,
        };
}
