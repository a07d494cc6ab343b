using Envoy.Config.Core.V3;
using Envoy.Config.Listener.V3;
using FluentAssertions;
using Google.Protobuf.WellKnownTypes;
using Rigging.Proxy.Config;
using Rigging.Proxy.Security;
using Rigging.Proxy.Security.Tls;
using Rigging.Proxy.Tests.Infrastructure;
using Xunit;

namespace Rigging.Proxy.Tests.Security.Tls;

/// <summary>TLS config compilation: what is chosen per endpoint, and bad input named by resource and field.</summary>
public sealed class TlsConfigTests
{
    [Fact]
    public void Transport_socket_matches_give_tls_to_istio_endpoints_and_plaintext_to_the_rest()
    {
        var cluster = EnvoyConfig.MeshCluster("reviews", EnvoyConfig.UpstreamTls(SecretStore.WorkloadIdentity, SecretStore.RootCa, "outbound_.9080_._.reviews"), (9001, true), (9002, false));

        var model = ClusterCompiler.Compile(cluster, new Dictionary<string, Envoy.Config.Endpoint.V3.ClusterLoadAssignment>());

        model.Endpoints.Single(e => e.Port == 9001).Tls.Should().NotBeNull();
        model.Endpoints.Single(e => e.Port == 9001).Tls!.Sni.Should().Be("outbound_.9080_._.reviews");
        model.Endpoints.Single(e => e.Port == 9002).Tls.Should().BeNull();
        model.SdsSecretNames.Items.Should().Equal(SecretStore.RootCa, SecretStore.WorkloadIdentity);
    }

    [Fact]
    public void Mesh_tls_offers_istio_alpn_names_for_http_and_only_istio_for_tcp_other_tls_only_the_protocol()
    {
        static UpstreamTlsModel Compile(params string[] alpn)
        {
            var context = new Envoy.Extensions.TransportSockets.Tls.V3.UpstreamTlsContext { CommonTlsContext = new() };
            context.CommonTlsContext.AlpnProtocols.AddRange(alpn);
            return TlsContextCompiler.Upstream(new TransportSocket { Name = "envoy.transport_sockets.tls", TypedConfig = Any.Pack(context) }, "Cluster c")!;
        }
        static string[]? Names(List<System.Net.Security.SslApplicationProtocol>? list) => list?.Select(p => p.ToString()).ToArray();

        var mesh = Compile("istio-peer-exchange", "istio", "h2");
        Names(mesh.Alpn(http2: false)).Should().Equal("istio-http/1.1", "istio", "http/1.1");
        Names(mesh.Alpn(http2: true)).Should().Equal("istio-h2", "istio", "h2");
        Names(mesh.TcpAlpn).Should().Equal(["istio"], "the bytes of a tunnel are the client's: no application protocol is claimed");

        var external = Compile("h2");
        Names(external.Alpn(http2: true)).Should().Equal("h2");
        Names(external.Alpn(http2: false)).Should().Equal("http/1.1");
        external.TcpAlpn.Should().BeNull();
    }

    [Fact]
    public void Unsupported_transport_socket_is_refused_naming_listener_and_field()
    {
        var listener = EnvoyConfig.InboundListener("inbound", 15006, "backend",
            new TransportSocket { Name = "envoy.transport_sockets.alts", TypedConfig = Any.Pack(new Empty()) }, permissive: false);

        var compile = () => ListenerCompiler.Compile(listener);

        compile.Should().Throw<ConfigException>().WithMessage("Listener inbound: filter_chains[0].transport_socket: envoy.transport_sockets.alts is not supported*");
    }

    [Fact]
    public void Sds_secret_with_a_malformed_certificate_is_refused_naming_the_secret()
    {
        var secret = EnvoyConfig.CertificateSecret("kubernetes://bookinfo", "-----BEGIN CERTIFICATE-----\nnot base64\n-----END CERTIFICATE-----\n", "junk");

        var compile = () => SecretCompiler.Compile(secret);

        compile.Should().Throw<ConfigException>().WithMessage("Secret kubernetes://bookinfo: tls_certificate*");
    }

    [Fact]
    public void Sds_secret_round_trips_certificate_and_key_from_pem()
    {
        using var ca = TestCa.Create("pem-root");
        var certificate = ca.Issue(EnvoyConfig.Spiffe("gateway"));
        var (pem, key) = TestCa.Pem(certificate);

        var model = SecretCompiler.Compile(EnvoyConfig.CertificateSecret("gw", pem, key));
        var trust = SecretCompiler.Compile(EnvoyConfig.TrustSecret("gw-cacert", ca.RootPem));

        model.Certificate!.Thumbprint.Should().Be(certificate.Thumbprint);
        model.Certificate.HasPrivateKey.Should().BeTrue();
        trust.TrustedCas.Should().ContainSingle().Which.Thumbprint.Should().Be(ca.Root.Thumbprint);
        SubjectAltNames.Of(model.Certificate).Uris.Should().Equal(EnvoyConfig.Spiffe("gateway"));
    }

    [Fact]
    public void A_trust_file_is_parsed_once_per_version_and_read_again_when_rewritten()
    {
        using var first = TestCa.Create("file-root-1");
        using var second = TestCa.Create("file-root-2");
        var path = Path.Combine(Path.GetTempPath(), $"rigging-trust-{Guid.NewGuid():N}.pem");
        try
        {
            File.WriteAllText(path, first.RootPem);
            var source = new Envoy.Config.Core.V3.DataSource { Filename = path };

            var a = SecretCompiler.Trust(source, "trusted_ca");
            var b = SecretCompiler.Trust(source, "trusted_ca");
            b.TrustedCas.Should().BeSameAs(a.TrustedCas, "an unchanged file is not read and parsed again");

            File.WriteAllText(path, first.RootPem + "\n" + second.RootPem + "\n");
            var c = SecretCompiler.Trust(source, "trusted_ca");
            c.TrustedCas.Select(x => x.Thumbprint).Should().Equal(first.Root.Thumbprint, second.Root.Thumbprint);

            File.Delete(path);
            var gone = () => SecretCompiler.Trust(source, "trusted_ca");
            gone.Should().Throw<ConfigException>().WithMessage("trusted_ca: cannot read*");
        }
        finally
        {
            File.Delete(path);
        }
    }
}
