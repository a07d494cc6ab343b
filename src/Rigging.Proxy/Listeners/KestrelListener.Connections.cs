using System.Net;
using Microsoft.AspNetCore.Connections;
using Rigging.Proxy.Http.Forwarding;

namespace Rigging.Proxy.Listeners;

public sealed partial class KestrelListener
{
    /// <summary>Envoy's listener_filters_timeout: how long the first bytes may take before the connection goes on as raw.</summary>
    private static readonly TimeSpan InspectionTimeout = TimeSpan.FromSeconds(15);

    private async Task OnConnectionAsync(ConnectionContext connection, ConnectionDelegate next)
    {
        var model = _model;
        var sniffed = model.NeedsInspection
            ? await ConnectionSniffer.SniffAsync(connection.Transport.Input, InspectionTimeout).ConfigureAwait(false)
            : new Sniffed(FirstBytes.Unknown, null, []);
        var local = connection.LocalEndPoint as IPEndPoint;
        var facts = new ConnectionFacts(local?.Port ?? Bound.Port, sniffed.TransportProtocol, sniffed.ServerName, sniffed.ApplicationProtocols);
        var chain = model.SelectChain(facts);
        switch (chain?.Filter)
        {
            case TcpProxyModel tcp:
                await _services.Tcp.HandleAsync(connection, tcp).ConfigureAwait(false);
                return;
            case HttpConnectionManagerModel hcm when sniffed.Kind == FirstBytes.Connect:
                await ConnectTunnel.HandleAsync(connection, hcm, _services).ConfigureAwait(false);
                return;
            case HttpConnectionManagerModel:
                connection.Items[ChainKey] = chain;
                connection.Items[HttpForwarder.StateItemKey] = _services.State;
                await (sniffed.Kind == FirstBytes.Http2Preface ? _http2(connection) : next(connection)).ConfigureAwait(false);
                return;
            default:
                _services.Stats.Increment(model.Name, "no_filter_chain_match");
                connection.Abort();
                return;
        }
    }
}
