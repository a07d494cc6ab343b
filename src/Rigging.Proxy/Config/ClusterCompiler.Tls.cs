using System.Collections.Immutable;
using Envoy.Config.Cluster.V3;
using Envoy.Config.Core.V3;
using Google.Protobuf.WellKnownTypes;
using Rigging.Proxy.Security.Tls;

namespace Rigging.Proxy.Config;

internal static partial class ClusterCompiler
{
    /// <summary>The metadata namespace transport_socket_matches look at (Envoy's constant).</summary>
    public const string TransportSocketMatchKey = "envoy.transport_socket_match";

    /// <summary>A cluster's transport sockets: its default, and the matches tried first per endpoint.</summary>
    private sealed record TransportSockets(UpstreamTlsModel? Default, IReadOnlyList<(Struct Match, UpstreamTlsModel? Tls)> Matches);

    private static TransportSockets Sockets(Cluster cluster, string where)
    {
        var fallback = TlsContextCompiler.Upstream(cluster.TransportSocket, where);
        var matches = new List<(Struct, UpstreamTlsModel?)>(cluster.TransportSocketMatches.Count);
        for (var i = 0; i < cluster.TransportSocketMatches.Count; i++)
        {
            var match = cluster.TransportSocketMatches[i];
            var at = $"{where}: transport_socket_matches[{i}] ({match.Name})";
            if (match.TransportSocket is null) throw new ConfigException($"{at}.transport_socket is required");
            matches.Add((match.Match ?? new Struct(), TlsContextCompiler.Upstream(match.TransportSocket, at)));
        }
        return new TransportSockets(fallback, matches);
    }

    /// <summary>
    /// Envoy's choice per endpoint: the first match whose every field equals the endpoint's (or its locality's)
    /// filter_metadata["envoy.transport_socket_match"]; none → the cluster's transport_socket (or plaintext). This
    /// is how Istio's auto mTLS sends TLS to endpoints labelled tlsMode=istio and plaintext to the rest.
    /// </summary>
    /// <summary>The SDS names a cluster's transport sockets refer to (subscribed even before its endpoints arrive).</summary>
    private static ImmutableArray<string> SecretNames(TransportSockets sockets)
    {
        var names = new SortedSet<string>(StringComparer.Ordinal);
        Add(sockets.Default, names);
        foreach (var (_, tls) in sockets.Matches) Add(tls, names);
        return [.. names];

        static void Add(UpstreamTlsModel? tls, SortedSet<string> names)
        {
            if (tls is not null) TlsContextCompiler.CollectSecretNames(tls.Validation, tls.Certificate is null ? [] : [tls.Certificate], names);
        }
    }

    private static UpstreamTlsModel? SocketFor(TransportSockets sockets, Metadata? endpoint, Metadata? locality)
    {
        if (sockets.Matches.Count == 0) return sockets.Default;
        var labels = Labels(endpoint) ?? Labels(locality);
        foreach (var (match, tls) in sockets.Matches)
        {
            if (Matches(match, labels)) return tls;
        }
        return sockets.Default;
    }

    private static Struct? Labels(Metadata? metadata) =>
        metadata is not null && metadata.FilterMetadata.TryGetValue(TransportSocketMatchKey, out var labels) ? labels : null;

    private static bool Matches(Struct match, Struct? labels)
    {
        foreach (var (key, wanted) in match.Fields)
        {
            if (labels is null || !labels.Fields.TryGetValue(key, out var value) || !value.Equals(wanted)) return false;
        }
        return true;
    }
}
