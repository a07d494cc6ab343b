using System.Net;
using System.Security.Cryptography;
using FluentAssertions;
using Rigging.Proxy.Security;
using Rigging.Proxy.Tests.Infrastructure;
using Xunit;

namespace Rigging.Proxy.Tests.Security.Tls;

/// <summary>Auto mTLS between two real proxies: identity, XFCC, STRICT / PERMISSIVE, and the certificates that are refused.</summary>
public sealed class MutualTlsTests
{
    private const string ConnectFailurePrefix =
        "upstream connect error or disconnect/reset before headers. reset reason: connection failure, transport failure reason: TLS_error:";

    private static readonly HttpClient Http = new(new SocketsHttpHandler { UseProxy = false, PooledConnectionLifetime = TimeSpan.Zero }) { Timeout = TimeSpan.FromSeconds(10) };

    [Fact]
    public async Task Mesh_call_over_mtls_reaches_the_backend_with_the_callers_spiffe_id_in_xfcc()
    {
        await using var mesh = await MeshPair.StartAsync();
        var clientCertificate = mesh.Client.Proxy.Secrets.Get(SecretStore.WorkloadIdentity)!.Certificate!;

        using var response = await Http.GetAsync(mesh.ClientUrl);
        var body = await response.Content.ReadAsStringAsync();

        response.StatusCode.Should().Be(HttpStatusCode.OK, body);
        var hash = Convert.ToHexStringLower(SHA256.HashData(clientCertificate.RawData));
        body.Should().Be($"By={EnvoyConfig.Spiffe("server")};Hash={hash};Subject=\"O=Rigging Test\";URI={EnvoyConfig.Spiffe("client")}");
        mesh.ServerStat("ssl.handshake").Should().BeGreaterThanOrEqualTo(1);
        mesh.ClientStat("ssl.handshake").Should().BeGreaterThanOrEqualTo(1);
        var stats = await Http.GetStringAsync($"http://127.0.0.1:{mesh.Client.Proxy.Admin!.Port}/stats/prometheus");
        stats.Should().Contain("envoy_ssl_handshake{envoy_stat_prefix=\"cluster.server\"} 1");
    }

    [Fact]
    public async Task Mesh_call_with_h2_inside_mtls_reaches_the_backend()
    {
        await using var mesh = await MeshPair.StartAsync(http2: true);

        using var response = await Http.GetAsync(mesh.ClientUrl);
        var body = await response.Content.ReadAsStringAsync();

        response.StatusCode.Should().Be(HttpStatusCode.OK, body);
        body.Should().Contain($"URI={EnvoyConfig.Spiffe("client")}");
    }

    [Fact]
    public async Task Strict_mode_refuses_a_plaintext_client()
    {
        await using var mesh = await MeshPair.StartAsync();

        var call = () => Http.GetAsync($"http://127.0.0.1:{mesh.ServerPort}/");

        await call.Should().ThrowAsync<HttpRequestException>();
        mesh.Server.Proxy.Stats.Get("inbound", "no_filter_chain_match").Should().BeGreaterThanOrEqualTo(1);
        mesh.Backend.Requests.Should().Be(0);
    }

    [Fact]
    public async Task Permissive_listener_accepts_mtls_and_plaintext_on_one_port_and_sanitizes_forged_xfcc()
    {
        await using var mesh = await MeshPair.StartAsync(permissive: true);

        using var plain = new HttpRequestMessage(HttpMethod.Get, $"http://127.0.0.1:{mesh.ServerPort}/");
        plain.Headers.TryAddWithoutValidation(ForwardedClientCert.HeaderName, "By=spiffe://evil;URI=spiffe://cluster.local/ns/default/sa/admin");
        using var plainResponse = await Http.SendAsync(plain);
        using var meshResponse = await Http.GetAsync(mesh.ClientUrl);

        plainResponse.StatusCode.Should().Be(HttpStatusCode.OK);
        (await plainResponse.Content.ReadAsStringAsync()).Should().Be(MeshPair.NoXfcc);
        meshResponse.StatusCode.Should().Be(HttpStatusCode.OK);
        (await meshResponse.Content.ReadAsStringAsync()).Should().Contain($"URI={EnvoyConfig.Spiffe("client")}");
    }

    [Fact]
    public async Task Client_certificate_from_another_ca_is_refused_by_the_server()
    {
        using var other = TestCa.Create("other-root");
        await using var mesh = await MeshPair.StartAsync(secrets: m =>
            m.Client.Proxy.Secrets.Set(SecretStore.WorkloadIdentity, other.Identity(EnvoyConfig.Spiffe("client"))));

        using var response = await Http.GetAsync(mesh.ClientUrl);

        response.StatusCode.Should().Be(HttpStatusCode.ServiceUnavailable);
        mesh.ServerStat("ssl.fail_verify_error").Should().BeGreaterThanOrEqualTo(1);
        mesh.ServerStat("ssl.connection_error").Should().BeGreaterThanOrEqualTo(1);
        mesh.Backend.Requests.Should().Be(0);
    }

    [Fact]
    public async Task Expired_server_certificate_is_refused_by_the_client_with_envoys_local_reply()
    {
        await using var mesh = await MeshPair.StartAsync(secrets: m =>
            m.Server.Proxy.Secrets.Set(SecretStore.WorkloadIdentity,
                m.Ca.Identity(EnvoyConfig.Spiffe("server"), TimeSpan.FromHours(-3), TimeSpan.FromHours(-1))));

        using var response = await Http.GetAsync(mesh.ClientUrl);
        var body = await response.Content.ReadAsStringAsync();

        response.StatusCode.Should().Be(HttpStatusCode.ServiceUnavailable);
        body.Should().StartWith(ConnectFailurePrefix).And.Contain("CERTIFICATE_VERIFY_FAILED");
        mesh.ClientStat("ssl.fail_verify_error").Should().BeGreaterThanOrEqualTo(1);
        mesh.Backend.Requests.Should().Be(0);
    }

    [Fact]
    public async Task Expired_client_certificate_is_refused_by_the_server()
    {
        await using var mesh = await MeshPair.StartAsync(secrets: m =>
            m.Client.Proxy.Secrets.Set(SecretStore.WorkloadIdentity,
                m.Ca.Identity(EnvoyConfig.Spiffe("client"), TimeSpan.FromHours(-3), TimeSpan.FromHours(-1))));

        using var response = await Http.GetAsync(mesh.ClientUrl);

        response.StatusCode.Should().Be(HttpStatusCode.ServiceUnavailable);
        mesh.ServerStat("ssl.fail_verify_error").Should().BeGreaterThanOrEqualTo(1);
        mesh.Backend.Requests.Should().Be(0);
    }

    [Fact]
    public async Task Server_with_the_wrong_spiffe_id_is_refused_by_the_client()
    {
        await using var mesh = await MeshPair.StartAsync(expectedServer: EnvoyConfig.Spiffe("reviews"));

        using var response = await Http.GetAsync(mesh.ClientUrl);
        var body = await response.Content.ReadAsStringAsync();

        response.StatusCode.Should().Be(HttpStatusCode.ServiceUnavailable);
        body.Should().StartWith(ConnectFailurePrefix);
        mesh.ClientStat("ssl.fail_verify_san").Should().BeGreaterThanOrEqualTo(1);
        mesh.Backend.Requests.Should().Be(0);
    }

    [Fact]
    public async Task Client_with_the_wrong_spiffe_id_is_refused_by_the_server()
    {
        await using var mesh = await MeshPair.StartAsync(acceptedClients: EnvoyConfig.UriSan(EnvoyConfig.Spiffe("productpage")));

        using var response = await Http.GetAsync(mesh.ClientUrl);

        response.StatusCode.Should().Be(HttpStatusCode.ServiceUnavailable);
        mesh.ServerStat("ssl.fail_verify_san").Should().BeGreaterThanOrEqualTo(1);
        mesh.Backend.Requests.Should().Be(0);
    }
}
