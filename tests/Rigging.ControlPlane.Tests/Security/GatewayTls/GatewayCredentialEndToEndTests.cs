using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using FluentAssertions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Rigging.ControlPlane.Tests.Host;
using Rigging.Proxy;

namespace Rigging.ControlPlane.Tests.Security.GatewayTls;

/// <summary>
/// A SIMPLE gateway server whose credential lives in the config directory's secrets/ folder: the real control
/// plane reads it, sends it to the gateway proxy over SDS, the gateway terminates TLS for that SNI and routes to
/// the app; rewriting the files rotates the certificate the next handshake sees.
/// </summary>
public sealed class GatewayCredentialEndToEndTests : IAsyncLifetime
{
    private readonly string _root = TempDirectory.Create();
    private ControlPlaneHost _host = null!;
    private WebApplication _app = null!;
    private ProxyHost _gateway = null!;
    private int _port;
    private string _config = "";

    public async Task InitializeAsync()
    {
        _config = Path.Combine(_root, "config");
        Directory.CreateDirectory(_config);
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, 0));
        _app = builder.Build();
        _app.Run(context => context.Response.WriteAsync("hello from web"));
        await _app.StartAsync();
        var appPort = new Uri(_app.Urls.First()).Port;
        _port = Rigging.Cli.Demo.Mesh.FreePorts.Take(1)[0];

        TestCertificates.Write(_config, "web-cert", "web.example.com", withCa: false);
        await File.WriteAllTextAsync(Path.Combine(_config, "mesh.yaml"), $$$"""
            apiVersion: v1
            kind: Service
            metadata: {name: web, namespace: default}
            spec:
              selector: {app: web}
              ports: [{name: http, port: 8080}]
            ---
            apiVersion: networking.istio.io/v1
            kind: WorkloadEntry
            metadata: {name: web-1, namespace: default}
            spec:
              address: 127.0.0.1
              labels: {app: web}
              ports: {http: {{{appPort}}}}
            ---
            apiVersion: networking.istio.io/v1
            kind: Gateway
            metadata: {name: gw, namespace: istio-system}
            spec:
              selector: {istio: ingressgateway}
              servers:
              - port: {number: {{{_port}}}, name: https, protocol: HTTPS}
                hosts: [web.example.com]
                tls: {mode: SIMPLE, credentialName: web-cert}
            ---
            apiVersion: networking.istio.io/v1
            kind: VirtualService
            metadata: {name: web, namespace: default}
            spec:
              hosts: [web.example.com]
              gateways: [istio-system/gw]
              http:
              - route:
                - destination: {host: web, port: {number: 8080} }
            """);
        (_host, _gateway) = await GatewayProcesses.StartAsync(_config, Path.Combine(_root, "state"));
    }

    /// <summary>One HTTPS request on a fresh connection (SNI web.example.com, to 127.0.0.1): status, body and the server's certificate.</summary>
    private async Task<(HttpStatusCode Status, string Body, X509Certificate2? Certificate)> GetAsync()
    {
        X509Certificate2? seen = null;
        using var handler = new SocketsHttpHandler
        {
            UseProxy = false,
            ConnectCallback = async (_, token) =>
            {
                var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                await socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, _port), token);
                return new NetworkStream(socket, ownsSocket: true);
            },
            SslOptions =
            {
                // The test CA is not trusted by the machine; what matters here is which certificate is presented.
                RemoteCertificateValidationCallback = (_, certificate, _, _) =>
                {
                    seen = certificate is null ? null : new X509Certificate2(certificate);
                    return true;
                },
            },
        };
        using var client = new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(5) };
        using var response = await client.GetAsync($"https://web.example.com:{_port}/");
        return (response.StatusCode, await response.Content.ReadAsStringAsync(), seen);
    }

    private async Task<(HttpStatusCode Status, string Body, X509Certificate2? Certificate)> WaitFor(Func<(HttpStatusCode Status, string Body, X509Certificate2? Certificate), bool> done)
    {
        var clock = Stopwatch.StartNew();
        (HttpStatusCode, string, X509Certificate2?) last = default;
        var error = "";
        for (var i = 0; i < 300 && clock.Elapsed < TimeSpan.FromSeconds(30); i++)
        {
            try
            {
                last = await GetAsync();
                if (done(last)) return last;
            }
            catch (HttpRequestException ex)
            {
                error = ex.Message;
            }
            await Task.Delay(100);
        }
        throw new Xunit.Sdk.XunitException($"gave up: last answer {last.Item1} {last.Item2}, last error {error}");
    }

    [Fact]
    public async Task Gateway_terminates_tls_with_the_credential_from_the_secrets_directory_and_follows_its_rotation()
    {
        var first = await WaitFor(r => r.Status == HttpStatusCode.OK);
        first.Body.Should().Be("hello from web");
        first.Certificate!.GetNameInfo(X509NameType.DnsName, false).Should().Be("web.example.com");

        TestCertificates.Write(_config, "web-cert", "web.example.com", withCa: false);
        var rotated = await WaitFor(r => r.Status == HttpStatusCode.OK && r.Certificate!.Thumbprint != first.Certificate.Thumbprint);
        rotated.Body.Should().Be("hello from web");
    }

    public async Task DisposeAsync()
    {
        if (_gateway is not null) await _gateway.DisposeAsync();
        if (_app is not null) await _app.DisposeAsync();
        if (_host is not null) await _host.DisposeAsync();
        TempDirectory.Delete(_root);
    }
}
