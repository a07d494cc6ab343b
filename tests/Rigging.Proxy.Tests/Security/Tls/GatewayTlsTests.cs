using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using Envoy.Config.Listener.V3;
using FluentAssertions;
using Rigging.Proxy.Tests.Infrastructure;
using Xunit;

namespace Rigging.Proxy.Tests.Security.Tls;

/// <summary>
/// A gateway-like listener with SIMPLE TLS whose certificate is an SDS Secret over ADS: served, replaced over ADS,
/// missing at first (clean refusal, then served), ALPN choosing h2, and garbage on the TLS port.
/// </summary>
public sealed class GatewayTlsTests : IAsyncLifetime
{
    private const string SecretName = "kubernetes://gateway-cert";
    private TestCa _ca = null!;
    private TestBackend _backend = null!;
    private ProxyFixture _proxy = null!;
    private int _port;

    public async Task InitializeAsync()
    {
        _ca = TestCa.Create("gateway-root");
        _backend = await TestBackend.StartAsync("backend");
        _proxy = await ProxyFixture.StartAsync(new Random(7));
        _port = FreePort.Get();
    }

    public async Task DisposeAsync()
    {
        await _proxy.DisposeAsync();
        await _backend.DisposeAsync();
        _ca.Dispose();
    }

    private Listener Gateway() => new()
    {
        Name = "gateway",
        Address = EnvoyConfig.Socket("127.0.0.1", _port),
        FilterChains =
        {
            new FilterChain
            {
                TransportSocket = EnvoyConfig.DownstreamTls(SecretName, null, false),
                Filters = { EnvoyConfig.InlineHcm("gateway", "backend") },
            },
        },
    };

    private Envoy.Extensions.TransportSockets.Tls.V3.Secret Secret(X509Certificate2 certificate)
    {
        var (pem, key) = TestCa.Pem(certificate);
        return EnvoyConfig.CertificateSecret(SecretName, pem, key);
    }

    /// <summary>One request on a new connection; returns the status, the thumbprint of the certificate the proxy presented and the HTTP version.</summary>
    private async Task<(HttpStatusCode Status, string? Presented, Version Version)> GetAsync(Version? version = null)
    {
        string? presented = null;
        using var http = new HttpClient(new SocketsHttpHandler
        {
            UseProxy = false,
            SslOptions = { RemoteCertificateValidationCallback = (_, certificate, _, _) => { presented = certificate?.GetCertHashString(); return true; } },
        }) { Timeout = TimeSpan.FromSeconds(10) };
        using var request = new HttpRequestMessage(HttpMethod.Get, $"https://127.0.0.1:{_port}/hello")
        {
            Version = version ?? HttpVersion.Version11,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
        };
        using var response = await http.SendAsync(request);
        return (response.StatusCode, presented, response.Version);
    }

    [Fact]
    public async Task Sds_secret_over_ads_serves_the_gateway_and_its_replacement_reaches_new_connections()
    {
        var first = _ca.Issue(EnvoyConfig.Spiffe("gateway"), dnsName: "bookinfo.example.com");
        var second = _ca.Issue(EnvoyConfig.Spiffe("gateway"), dnsName: "bookinfo.example.com");
        await _proxy.ApplyAsync(Gateway(), EnvoyConfig.StaticCluster("backend", _backend.Port), Secret(first));

        var before = await GetAsync();
        await _proxy.ApplyAsync(Gateway(), EnvoyConfig.StaticCluster("backend", _backend.Port), Secret(second));
        var after = await GetAsync();

        before.Status.Should().Be(HttpStatusCode.OK);
        before.Presented.Should().Be(first.Thumbprint);
        after.Status.Should().Be(HttpStatusCode.OK);
        after.Presented.Should().Be(second.Thumbprint);
    }

    [Fact]
    public async Task Tls_chain_whose_secret_has_not_arrived_refuses_cleanly_then_serves_once_it_does()
    {
        await _proxy.ApplyAsync(Gateway(), EnvoyConfig.StaticCluster("backend", _backend.Port));

        var early = () => GetAsync();
        await early.Should().ThrowAsync<HttpRequestException>();
        _proxy.Proxy.Stats.Get("listener.gateway", "ssl.no_certificate").Should().BeGreaterThanOrEqualTo(1);

        await _proxy.ApplyAsync(Gateway(), EnvoyConfig.StaticCluster("backend", _backend.Port), Secret(_ca.Issue(EnvoyConfig.Spiffe("gateway"))));
        (await GetAsync()).Status.Should().Be(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Alpn_selects_h2_or_http11_inside_tls()
    {
        await _proxy.ApplyAsync(Gateway(), EnvoyConfig.StaticCluster("backend", _backend.Port), Secret(_ca.Issue(EnvoyConfig.Spiffe("gateway"))));

        var h2 = await GetAsync(HttpVersion.Version20);
        var h1 = await GetAsync(HttpVersion.Version11);

        h2.Status.Should().Be(HttpStatusCode.OK);
        h2.Version.Should().Be(HttpVersion.Version20);
        h1.Status.Should().Be(HttpStatusCode.OK);
        h1.Version.Should().Be(HttpVersion.Version11);
    }

    [Fact]
    public async Task Garbage_on_the_tls_port_is_closed_and_counted_and_the_proxy_keeps_serving()
    {
        await _proxy.ApplyAsync(Gateway(), EnvoyConfig.StaticCluster("backend", _backend.Port), Secret(_ca.Issue(EnvoyConfig.Spiffe("gateway"))));
        var random = new Random(11);
        var junk = new byte[64];
        random.NextBytes(junk);
        // A TLS record header (handshake, TLS 1.0, 64 bytes) around random bytes, then bytes that are not TLS at all.
        byte[][] payloads = [[0x16, 0x03, 0x01, 0x00, 0x40, .. junk], "GET / HTTP/1.1\r\nHost: x\r\n\r\n"u8.ToArray(), junk];

        foreach (var payload in payloads)
        {
            (await SendAndReadUntilClosedAsync(payload)).Should().BeTrue("the proxy closes a connection that is not a TLS handshake");
        }

        _proxy.Proxy.Stats.Get("listener.gateway", "ssl.connection_error").Should().BeGreaterThanOrEqualTo(1);
        (await GetAsync()).Status.Should().Be(HttpStatusCode.OK);
    }

    /// <summary>True when the proxy closed the connection (read returned 0 or the socket reset) within 10 s.</summary>
    private async Task<bool> SendAndReadUntilClosedAsync(byte[] payload)
    {
        using var client = new TcpClient();
        await client.ConnectAsync(IPAddress.Loopback, _port);
        var stream = client.GetStream();
        await stream.WriteAsync(payload);
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var buffer = new byte[4096];
        try
        {
            for (var reads = 0; reads < 100; reads++)
            {
                if (await stream.ReadAsync(buffer, deadline.Token) == 0) return true;
            }
            return false;
        }
        catch (IOException)
        {
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }
}
