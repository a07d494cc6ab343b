using Envoy.Config.Cluster.V3;
using Envoy.Config.Core.V3;
using Envoy.Config.Endpoint.V3;
using Envoy.Config.Listener.V3;
using Envoy.Config.Route.V3;
using Envoy.Extensions.Filters.Http.Router.V3;
using Envoy.Extensions.Filters.Network.HttpConnectionManager.V3;
using Envoy.Extensions.TransportSockets.Tls.V3;
using Envoy.Type.Matcher.V3;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Rigging.Proxy.Security;

namespace Rigging.Proxy.Tests.Infrastructure;

/// <summary>TLS builders in the shapes Istio generates: SDS over ADS, ROOTCA validation, auto mTLS socket matches.</summary>
internal static partial class EnvoyConfig
{
    private static SdsSecretConfig Sds(string name) => new() { Name = name, SdsConfig = new ConfigSource { Ads = new AggregatedConfigSource() } };

    private static CommonTlsContext Common(string certificate, string? trust, params SubjectAltNameMatcher[] sans)
    {
        var common = new CommonTlsContext { TlsCertificateSdsSecretConfigs = { Sds(certificate) } };
        if (trust is not null)
        {
            var defaults = new CertificateValidationContext();
            defaults.MatchTypedSubjectAltNames.AddRange(sans);
            common.CombinedValidationContext = new CommonTlsContext.Types.CombinedCertificateValidationContext
            {
                DefaultValidationContext = defaults,
                ValidationContextSdsSecretConfig = Sds(trust),
            };
        }
        return common;
    }

    public static SubjectAltNameMatcher UriSan(string exact) => new() { SanType = SubjectAltNameMatcher.Types.SanType.Uri, Matcher = new StringMatcher { Exact = exact } };

    public static SubjectAltNameMatcher UriSanPrefix(string prefix) => new() { SanType = SubjectAltNameMatcher.Types.SanType.Uri, Matcher = new StringMatcher { Prefix = prefix } };

    /// <summary>A server side TLS transport socket (Istio's inbound mTLS when <paramref name="trust"/> is set and a client cert is required).</summary>
    public static TransportSocket DownstreamTls(string certificate, string? trust, bool requireClientCertificate, params SubjectAltNameMatcher[] sans)
    {
        var common = Common(certificate, trust, sans);
        common.AlpnProtocols.Add("h2");
        common.AlpnProtocols.Add("http/1.1");
        return new TransportSocket
        {
            Name = "envoy.transport_sockets.tls",
            TypedConfig = Any.Pack(new DownstreamTlsContext { CommonTlsContext = common, RequireClientCertificate = requireClientCertificate }),
        };
    }

    /// <summary>A client side TLS transport socket with Istio's ALPN list (only h2 / http/1.1 are really offered).</summary>
    public static TransportSocket UpstreamTls(string certificate, string trust, string? sni, params SubjectAltNameMatcher[] sans)
    {
        var common = Common(certificate, trust, sans);
        common.AlpnProtocols.AddRange(["istio-peer-exchange", "istio", "h2", "http/1.1"]);
        return new TransportSocket
        {
            Name = "envoy.transport_sockets.tls",
            TypedConfig = Any.Pack(new UpstreamTlsContext { CommonTlsContext = common, Sni = sni ?? "" }),
        };
    }

    /// <summary>An HTTP listener whose chains are (tls[, raw_buffer]) like Istio's STRICT / PERMISSIVE inbound, routing all to <paramref name="cluster"/>.</summary>
    public static Listener InboundListener(string name, int port, string cluster, TransportSocket tls, bool permissive)
    {
        var listener = new Listener { Name = name, Address = Socket("127.0.0.1", port) };
        listener.FilterChains.Add(new FilterChain
        {
            Name = "tls",
            FilterChainMatch = new FilterChainMatch { TransportProtocol = "tls" },
            TransportSocket = tls,
            Filters = { InlineHcm(name, cluster, ForwardClientCertDetails()) },
        });
        if (permissive)
        {
            listener.FilterChains.Add(new FilterChain
            {
                Name = "plaintext",
                FilterChainMatch = new FilterChainMatch { TransportProtocol = "raw_buffer" },
                Filters = { InlineHcm(name, cluster, ForwardClientCertDetails()) },
            });
        }
        return listener;
    }

    /// <summary>Istio's inbound XFCC settings: APPEND_FORWARD with subject, uri and dns.</summary>
    public static HttpConnectionManager ForwardClientCertDetails() => new()
    {
        ForwardClientCertDetails = HttpConnectionManager.Types.ForwardClientCertDetails.AppendForward,
        SetCurrentClientCertDetails = new HttpConnectionManager.Types.SetCurrentClientCertDetails { Subject = true, Uri = true, Dns = true },
    };

    public static Filter InlineHcm(string statPrefix, string cluster, HttpConnectionManager? template = null)
    {
        var hcm = template ?? new HttpConnectionManager();
        hcm.StatPrefix = statPrefix;
        hcm.RouteConfig = Routes("inline", Prefix("/", cluster));
        hcm.HttpFilters.Add(new HttpFilter { Name = "envoy.filters.http.router", TypedConfig = Any.Pack(new Router()) });
        return new Filter { Name = "envoy.filters.network.http_connection_manager", TypedConfig = Any.Pack(hcm) };
    }

    /// <summary>A plaintext HTTP listener routing everything to <paramref name="cluster"/> (a client's outbound).</summary>
    public static Listener PlainListener(string name, int port, string cluster) => new()
    {
        Name = name,
        Address = Socket("127.0.0.1", port),
        FilterChains = { new FilterChain { Filters = { InlineHcm(name, cluster) } } },
    };

    /// <summary>
    /// A static cluster with Istio's auto mTLS shape: endpoints labelled tlsMode=istio (or not) in
    /// filter_metadata["envoy.transport_socket_match"], a socket match for tlsMode=istio and a plaintext default.
    /// </summary>
    public static Cluster MeshCluster(string name, TransportSocket tls, params (int Port, bool Istio)[] endpoints)
    {
        var locality = new LocalityLbEndpoints();
        foreach (var (port, istio) in endpoints)
        {
            var lb = new LbEndpoint { Endpoint = new Endpoint { Address = Socket("127.0.0.1", port) } };
            if (istio)
            {
                var labels = new Struct { Fields = { ["tlsMode"] = Value.ForString("istio") } };
                lb.Metadata = new Metadata { FilterMetadata = { ["envoy.transport_socket_match"] = labels } };
            }
            locality.LbEndpoints.Add(lb);
        }
        return new Cluster
        {
            Name = name,
            Type = Cluster.Types.DiscoveryType.Static,
            ConnectTimeout = Duration.FromTimeSpan(TimeSpan.FromSeconds(2)),
            LoadAssignment = new ClusterLoadAssignment { ClusterName = name, Endpoints = { locality } },
            TransportSocketMatches =
            {
                new Cluster.Types.TransportSocketMatch
                {
                    Name = "tlsMode-istio",
                    Match = new Struct { Fields = { ["tlsMode"] = Value.ForString("istio") } },
                    TransportSocket = tls,
                },
                new Cluster.Types.TransportSocketMatch
                {
                    Name = "tlsMode-disabled",
                    Match = new Struct(),
                    TransportSocket = new TransportSocket { Name = "envoy.transport_sockets.raw_buffer", TypedConfig = Any.Pack(new Envoy.Extensions.TransportSockets.RawBuffer.V3.RawBuffer()) },
                },
            },
        };
    }

    public static Cluster StaticCluster(string name, int port) => new()
    {
        Name = name,
        Type = Cluster.Types.DiscoveryType.Static,
        ConnectTimeout = Duration.FromTimeSpan(TimeSpan.FromSeconds(2)),
        LoadAssignment = Endpoints(name, port),
    };

    /// <summary>An SDS Secret holding a certificate and key as inline PEM.</summary>
    public static Secret CertificateSecret(string name, string certificatePem, string keyPem) => new()
    {
        Name = name,
        TlsCertificate = new TlsCertificate
        {
            CertificateChain = new DataSource { InlineBytes = ByteString.CopyFromUtf8(certificatePem) },
            PrivateKey = new DataSource { InlineString = keyPem },
        },
    };

    public static Secret TrustSecret(string name, string rootPem) => new()
    {
        Name = name,
        ValidationContext = new CertificateValidationContext { TrustedCa = new DataSource { InlineString = rootPem } },
    };

    public static string Spiffe(string serviceAccount) => $"spiffe://cluster.local/ns/default/sa/{serviceAccount}";

    /// <summary>The secret names the local agent provides.</summary>
    public static (string Identity, string Root) AgentSecrets => (SecretStore.WorkloadIdentity, SecretStore.RootCa);
}
