using System.Net;
using System.Security.Cryptography.X509Certificates;
using Envoy.Config.Core.V3;
using Envoy.Extensions.TransportSockets.Tls.V3;
using FluentAssertions;
using Google.Protobuf.WellKnownTypes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Logging;
using Rigging.Proxy.Tests.Infrastructure;
using Xunit;

namespace Rigging.Proxy.Tests.Security.Tls;

/// <summary>
/// TLS origination as a DestinationRule SIMPLE writes it, against a real Kestrel HTTPS server whose certificate a
/// test CA signs (not in the machine's bundle): verified against the system bundle (Istio's default) the handshake
/// is refused; with the CA file, or with no validation (insecureSkipVerify), the request goes through. HTTP/2 over
/// that TLS says :scheme https, which Kestrel insists on for a TLS connection.
/// </summary>
public sealed class UpstreamSimpleTlsTests : IDisposable
{
    /// <summary>The bundle the control plane names when a SIMPLE rule has no caCertificates.</summary>
    private const string SystemBundle = "/etc/ssl/certs/ca-certificates.crt";

    private const string Host = "secure.example.com";

    private readonly TestCa _ca = TestCa.Create("simple-tls-root");
    private readonly string _caFile = Path.Combine(Path.GetTempPath(), $"rigging-simple-tls-{Guid.NewGuid():N}.pem");

    public UpstreamSimpleTlsTests() => File.WriteAllText(_caFile, _ca.RootPem);

    public void Dispose()
    {
        _ca.Dispose();
        File.Delete(_caFile);
    }

    [Fact]
    public async Task Simple_tls_refuses_a_server_the_system_bundle_does_not_trust_and_accepts_it_with_its_ca_or_without_verification()
    {
        await using var server = await StartServerAsync(_ca.Issue(EnvoyConfig.Spiffe("server"), dnsName: Host), HttpProtocols.Http1AndHttp2);
        await using var proxy = await ProxyFixture.StartAsync(new Random(5));
        var (system, withCa, skip) = (FreePort.Get(), FreePort.Get(), FreePort.Get());
        await proxy.ApplyAsync(
            EnvoyConfig.PlainListener("system", system, "system"), Cluster("system", server.Port, Validation(SystemBundle), http2: false),
            EnvoyConfig.PlainListener("with-ca", withCa, "with-ca"), Cluster("with-ca", server.Port, Validation(_caFile), http2: false),
            EnvoyConfig.PlainListener("skip", skip, "skip"), Cluster("skip", server.Port, null, http2: false));
        using var http = new HttpClient(new SocketsHttpHandler { UseProxy = false }) { Timeout = TimeSpan.FromSeconds(10) };

        using var refused = await http.GetAsync($"http://127.0.0.1:{system}/");
        var refusal = await refused.Content.ReadAsStringAsync();
        refused.StatusCode.Should().Be(HttpStatusCode.ServiceUnavailable, refusal);
        refusal.Should().Contain("TLS_error").And.Contain("CERTIFICATE_VERIFY_FAILED");
        server.Requests.Should().Be(0);

        (await http.GetStringAsync($"http://127.0.0.1:{withCa}/")).Should().Be($"https HTTP/1.1 sni={Host}");
        (await http.GetStringAsync($"http://127.0.0.1:{skip}/")).Should().Be($"https HTTP/1.1 sni={Host}");
    }

    [Fact]
    public async Task Http2_over_upstream_tls_sends_scheme_https()
    {
        await using var server = await StartServerAsync(_ca.Issue(EnvoyConfig.Spiffe("server"), dnsName: Host), HttpProtocols.Http2);
        await using var proxy = await ProxyFixture.StartAsync(new Random(6));
        var port = FreePort.Get();
        await proxy.ApplyAsync(EnvoyConfig.PlainListener("h2", port, "h2"), Cluster("h2", server.Port, Validation(_caFile), http2: true));
        using var http = new HttpClient(new SocketsHttpHandler { UseProxy = false }) { Timeout = TimeSpan.FromSeconds(10) };

        using var response = await http.GetAsync($"http://127.0.0.1:{port}/");
        var body = await response.Content.ReadAsStringAsync();

        response.StatusCode.Should().Be(HttpStatusCode.OK, body);
        body.Should().Be($"https HTTP/2 sni={Host}");
    }

    private static CertificateValidationContext Validation(string caFile) =>
        new() { TrustedCa = new DataSource { Filename = caFile } };

    /// <summary>A cluster as the control plane writes DestinationRule SIMPLE: SNI, ALPN h2 for HTTP/2, trust from a file or none.</summary>
    private static Envoy.Config.Cluster.V3.Cluster Cluster(string name, int port, CertificateValidationContext? validation, bool http2)
    {
        var common = new CommonTlsContext();
        if (validation is not null) common.ValidationContext = validation;
        if (http2) common.AlpnProtocols.Add("h2");
        var cluster = EnvoyConfig.StaticCluster(name, port);
        cluster.TransportSocket = new TransportSocket
        {
            Name = "envoy.transport_sockets.tls",
            TypedConfig = Any.Pack(new UpstreamTlsContext { CommonTlsContext = common, Sni = Host }),
        };
        if (http2) cluster.Http2ProtocolOptions = new Http2ProtocolOptions();
        return cluster;
    }

    /// <summary>Kestrel HTTPS answering "SCHEME PROTOCOL sni=NAME" (the scheme Kestrel saw, which must match the connection's).</summary>
    private static async Task<TlsServer> StartServerAsync(X509Certificate2 certificate, HttpProtocols protocols)
    {
        var port = FreePort.Get();
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrelCore();
        string? sni = null;
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, port, listen =>
        {
            listen.Protocols = protocols;
            listen.UseHttps(new Microsoft.AspNetCore.Server.Kestrel.Https.HttpsConnectionAdapterOptions
            {
                ServerCertificateSelector = (_, name) =>
                {
                    sni = name;
                    return certificate;
                },
            });
        }));
        var app = builder.Build();
        var server = new TlsServer(app, port);
        app.Run(context =>
        {
            server.Hit();
            return context.Response.WriteAsync($"{context.Request.Scheme} {context.Request.Protocol} sni={sni}");
        });
        await app.StartAsync();
        return server;
    }

    private sealed class TlsServer(WebApplication app, int port) : IAsyncDisposable
    {
        private int _requests;

        public int Port { get; } = port;

        public int Requests => Volatile.Read(ref _requests);

        public void Hit() => Interlocked.Increment(ref _requests);

        public async ValueTask DisposeAsync() => await app.DisposeAsync();
    }
}
