using System.Net;
using System.Security.Cryptography.X509Certificates;
using FluentAssertions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using Microsoft.Extensions.Logging;
using Rigging.Proxy.Security;
using Rigging.Proxy.Tests.Infrastructure;
using Xunit;

namespace Rigging.Proxy.Tests.Security.Tls;

/// <summary>
/// Upstream TLS origination against an independent TLS server (Kestrel HTTPS requiring a client certificate):
/// ALPN carries h2 when the cluster speaks HTTP/2, and TLS and plaintext endpoints share one cluster.
/// </summary>
public sealed class UpstreamTlsTests
{
    [Theory]
    [InlineData(true, "HTTP/2")]
    [InlineData(false, "HTTP/1.1")]
    public async Task Upstream_mtls_negotiates_the_clusters_protocol_by_alpn_and_presents_the_workload_certificate(bool http2, string expected)
    {
        using var ca = TestCa.Create("upstream-root");
        await using var server = await StartTlsServerAsync(ca.Issue(EnvoyConfig.Spiffe("server")));
        await using var proxy = await ProxyFixture.StartAsync(new Random(3));
        proxy.Proxy.Secrets.Set(SecretStore.WorkloadIdentity, ca.Identity(EnvoyConfig.Spiffe("client")));
        proxy.Proxy.Secrets.Set(SecretStore.RootCa, ca.Trust);
        var port = FreePort.Get();
        var cluster = EnvoyConfig.MeshCluster("server", EnvoyConfig.UpstreamTls(SecretStore.WorkloadIdentity, SecretStore.RootCa, null, EnvoyConfig.UriSan(EnvoyConfig.Spiffe("server"))), (server.Port, true));
        if (http2) cluster.Http2ProtocolOptions = new Envoy.Config.Core.V3.Http2ProtocolOptions();
        await proxy.ApplyAsync(EnvoyConfig.PlainListener("outbound", port, "server"), cluster);
        using var http = new HttpClient(new SocketsHttpHandler { UseProxy = false });

        using var response = await http.GetAsync($"http://127.0.0.1:{port}/");
        var body = await response.Content.ReadAsStringAsync();

        response.StatusCode.Should().Be(HttpStatusCode.OK, body);
        body.Should().Be($"{expected} {EnvoyConfig.Spiffe("client")}");
    }

    [Fact]
    public async Task Tls_and_plaintext_endpoints_coexist_in_one_cluster_by_their_tls_mode()
    {
        using var ca = TestCa.Create("upstream-root");
        await using var tlsServer = await StartTlsServerAsync(ca.Issue(EnvoyConfig.Spiffe("server")));
        await using var plain = await TestBackend.StartAsync("plain");
        await using var proxy = await ProxyFixture.StartAsync(new Random(4));
        proxy.Proxy.Secrets.Set(SecretStore.WorkloadIdentity, ca.Identity(EnvoyConfig.Spiffe("client")));
        proxy.Proxy.Secrets.Set(SecretStore.RootCa, ca.Trust);
        var port = FreePort.Get();
        var cluster = EnvoyConfig.MeshCluster("server", EnvoyConfig.UpstreamTls(SecretStore.WorkloadIdentity, SecretStore.RootCa, null),
            (tlsServer.Port, true), (plain.Port, false));
        await proxy.ApplyAsync(EnvoyConfig.PlainListener("outbound", port, "server"), cluster);
        using var http = new HttpClient(new SocketsHttpHandler { UseProxy = false });

        var bodies = new List<string>();
        for (var i = 0; i < 6; i++) bodies.Add(await http.GetStringAsync($"http://127.0.0.1:{port}/x"));

        bodies.Should().Contain($"HTTP/1.1 {EnvoyConfig.Spiffe("client")}").And.Contain("plain /x");
        plain.Requests.Should().BeGreaterThan(0);
    }

    /// <summary>Kestrel HTTPS (h1 + h2 by ALPN) that requires a client certificate and answers "PROTOCOL client-uri-san".</summary>
    private static async Task<TlsServer> StartTlsServerAsync(X509Certificate2 certificate)
    {
        var port = FreePort.Get();
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrelCore();
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.Listen(IPAddress.Loopback, port, listen =>
            {
                listen.Protocols = HttpProtocols.Http1AndHttp2;
                listen.UseHttps(new HttpsConnectionAdapterOptions
                {
                    ServerCertificate = certificate,
                    ClientCertificateMode = ClientCertificateMode.RequireCertificate,
                    ClientCertificateValidation = static (_, _, _) => true,
                });
            });
        });
        var app = builder.Build();
        app.Run(static context => context.Response.WriteAsync($"{context.Request.Protocol} {UriOf(context.Connection.ClientCertificate)}"));
        await app.StartAsync();
        return new TlsServer(app, port);
    }

    private static string UriOf(X509Certificate2? certificate)
    {
        if (certificate is null) return "none";
        var text = certificate.Extensions["2.5.29.17"]!.Format(false);
        var start = text.IndexOf("spiffe://", StringComparison.Ordinal);
        return start < 0 ? "none" : text[start..].Split([',', ' ', '\n'], 2)[0].Trim();
    }

    private sealed record TlsServer(WebApplication App, int Port) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync() => await App.DisposeAsync();
    }
}
