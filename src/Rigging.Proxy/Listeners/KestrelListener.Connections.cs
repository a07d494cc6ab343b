using System.Net;
using Microsoft.AspNetCore.Connections;
using Rigging.Proxy.Http.Forwarding;
using Rigging.Proxy.Security.Tls;

namespace Rigging.Proxy.Listeners;

public sealed partial class KestrelListener
{
    /// <summary>Envoy's listener_filters_timeout: how long the first bytes may take before the connection goes on as raw.</summary>
    private static readonly TimeSpan InspectionTimeout = TimeSpan.FromSeconds(15);

    /// <summary>Envoy's transport_socket_connect_timeout default is unbounded; a handshake that stalls this long is cut.</summary>
    private static readonly TimeSpan HandshakeTimeout = TimeSpan.FromSeconds(10);

    private async Task OnConnectionAsync(ConnectionContext connection, ConnectionDelegate next)
    {
        var model = _model;
        var sniffed = model.NeedsInspection
            ? await ConnectionSniffer.SniffAsync(connection.Transport.Input, InspectionTimeout, model.DetectsHttp).ConfigureAwait(false)
            : new Sniffed(FirstBytes.Unknown, null, []);
        var local = connection.LocalEndPoint as IPEndPoint;
        var facts = new ConnectionFacts(local?.Port ?? Bound.Port, sniffed.TransportProtocol, sniffed.ServerName, sniffed.ApplicationProtocols);
        var chain = model.SelectChain(facts);
        if (chain is null)
        {
            _services.Stats.Increment(model.Name, "no_filter_chain_match");
            connection.Abort();
            return;
        }
        if (chain.Tls is null)
        {
            await RunChainAsync(connection, chain, facts, sniffed.Kind, next).ConfigureAwait(false);
            return;
        }
        var secured = await DownstreamTlsTerminator.TerminateAsync(connection, chain.Tls,
            sniffed.Kind == FirstBytes.Tls ? sniffed.ApplicationProtocols : null, "listener." + model.Name,
            _services.Secrets, _services.Stats, _services.Time, HandshakeTimeout).ConfigureAwait(false);
        if (secured is null)
        {
            connection.Abort();
            return;
        }
        await using (secured.ConfigureAwait(false))
        {
            await RunChainAsync(connection, chain, facts, await InnerKindAsync(connection, chain, secured).ConfigureAwait(false), next).ConfigureAwait(false);
        }
    }

    private async Task RunChainAsync(ConnectionContext connection, FilterChainModel chain, ConnectionFacts facts, FirstBytes kind, ConnectionDelegate next)
    {
        switch (chain.Filter)
        {
            case TcpProxyModel tcp:
                _tcpConnections[connection] = chain;
                // An update that landed between choosing the chain and registering it has not seen this connection
                // (a reference check: the byte comparison runs only when the model did change).
                if (!_model.Contains(chain)) DrainReplacedTcpConnections(_model);
                try
                {
                    await _services.Tcp.HandleAsync(connection, tcp).ConfigureAwait(false);
                }
                finally
                {
                    _tcpConnections.TryRemove(connection, out _);
                }
                return;
            case HttpConnectionManagerModel hcm when kind == FirstBytes.Connect:
                await ConnectTunnel.HandleAsync(connection, hcm, _services).ConfigureAwait(false);
                return;
            case HttpConnectionManagerModel:
                connection.Items[ChainKey] = new AcceptedChain(chain, facts);
                connection.Items[HttpForwarder.StateItemKey] = _services.State;
                await (kind == FirstBytes.Http2Preface ? _http2(connection) : next(connection)).ConfigureAwait(false);
                return;
            default:
                connection.Abort();
                return;
        }
    }

    /// <summary>
    /// What runs inside a terminated TLS connection: ALPN h2 means HTTP/2; otherwise the decrypted bytes are peeked
    /// at (HTTP/2 preface with prior knowledge, CONNECT, or HTTP/1.1). TCP chains are never peeked at.
    /// </summary>
    private static async ValueTask<FirstBytes> InnerKindAsync(ConnectionContext connection, FilterChainModel chain, SslDuplexPipe secured)
    {
        if (chain.Filter is not HttpConnectionManagerModel) return FirstBytes.Unknown;
        if (secured.Stream.NegotiatedApplicationProtocol == System.Net.Security.SslApplicationProtocol.Http2) return FirstBytes.Http2Preface;
        var inner = await ConnectionSniffer.SniffAsync(connection.Transport.Input, InspectionTimeout).ConfigureAwait(false);
        // Kestrel's HTTP/2-only pipeline insists on ALPN h2 over TLS; prior knowledge is what was negotiated here.
        if (inner.Kind == FirstBytes.Http2Preface && connection.Features.Get<TlsConnectionFeature>() is { } tls) tls.ApplicationProtocol = Http2Alpn;
        return inner.Kind;
    }

    private static readonly byte[] Http2Alpn = "h2"u8.ToArray();
}
