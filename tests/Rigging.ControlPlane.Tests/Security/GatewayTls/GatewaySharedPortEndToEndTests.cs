using System.Diagnostics;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Text;
using FluentAssertions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Rigging.ControlPlane.Tests.Host;
using Rigging.Proxy;

namespace Rigging.ControlPlane.Tests.Security.GatewayTls;

/// <summary>
/// A real control plane programs a gateway proxy with two HTTPS servers from two Gateways on one port (each SNI
/// reaches its own app with its own certificate) and a TLS server that terminates TLS and tunnels the decrypted
/// bytes to a TCP echo backend by the VirtualService tcp route.
/// </summary>
public sealed class GatewaySharedPortEndToEndTests : IAsyncLifetime
{
    private readonly string _root = TempDirectory.Create();
    private readonly List<WebApplication> _apps = [];
    private ControlPlaneHost _host = null!;
    private ProxyHost _gateway = null!;
    private TcpListener _echo = null!;
    private Task _echoLoop = Task.CompletedTask;
    private readonly CancellationTokenSource _stop = new();
    private int _httpsPort;
    private int _tlsPort;

    public async Task InitializeAsync()
    {
        var config = Path.Combine(_root, "config");
        Directory.CreateDirectory(config);
        var portA = await StartAppAsync("hello from a");
        var portB = await StartAppAsync("hello from b");
        _echo = new TcpListener(IPAddress.Loopback, 0);
        _echo.Start();
        _echoLoop = EchoAsync(_echo, _stop.Token);
        var echoPort = ((IPEndPoint)_echo.LocalEndpoint).Port;
        var ports = Rigging.Cli.Demo.Mesh.FreePorts.Take(2);
        _httpsPort = ports[0];
        _tlsPort = ports[1];

        TestCertificates.Write(config, "a-cert", "a.example.com", withCa: false);
        TestCertificates.Write(config, "b-cert", "b.example.com", withCa: false);
        TestCertificates.Write(config, "echo-cert", "echo.example.com", withCa: false);
        await File.WriteAllTextAsync(Path.Combine(config, "mesh.yaml"), $$$"""
            {{{Backend("app-a", "http", portA)}}}
            ---
            {{{Backend("app-b", "http", portB)}}}
            ---
            {{{Backend("echo", "tcp", echoPort)}}}
            ---
            apiVersion: networking.istio.io/v1
            kind: Gateway
            metadata: {name: gw-a, namespace: istio-system}
            spec:
              selector: {istio: ingressgateway}
              servers:
              - port: {number: {{{_httpsPort}}}, name: https-a, protocol: HTTPS}
                hosts: [a.example.com]
                tls: {mode: SIMPLE, credentialName: a-cert}
              - port: {number: {{{_tlsPort}}}, name: tls-echo, protocol: TLS}
                hosts: [echo.example.com]
                tls: {mode: SIMPLE, credentialName: echo-cert}
            ---
            apiVersion: networking.istio.io/v1
            kind: Gateway
            metadata: {name: gw-b, namespace: istio-system}
            spec:
              selector: {istio: ingressgateway}
              servers:
              - port: {number: {{{_httpsPort}}}, name: https-b, protocol: HTTPS}
                hosts: [b.example.com]
                tls: {mode: SIMPLE, credentialName: b-cert}
            ---
            apiVersion: networking.istio.io/v1
            kind: VirtualService
            metadata: {name: a, namespace: default}
            spec:
              hosts: [a.example.com]
              gateways: [istio-system/gw-a]
              http:
              - route:
                - destination: {host: app-a, port: {number: 8080 } }
            ---
            apiVersion: networking.istio.io/v1
            kind: VirtualService
            metadata: {name: b, namespace: default}
            spec:
              hosts: [b.example.com]
              gateways: [istio-system/gw-b]
              http:
              - route:
                - destination: {host: app-b, port: {number: 8080 } }
            ---
            apiVersion: networking.istio.io/v1
            kind: VirtualService
            metadata: {name: echo, namespace: default}
            spec:
              hosts: [echo.example.com]
              gateways: [istio-system/gw-a]
              tcp:
              - route:
                - destination: {host: echo, port: {number: 8080 } }
            """);
        (_host, _gateway) = await GatewayProcesses.StartAsync(config, Path.Combine(_root, "state"));
    }

    /// <summary>A Service with one port (8080) and a WorkloadEntry on 127.0.0.1 whose port is the real one.</summary>
    private static string Backend(string name, string portName, int port) => $$"""
        apiVersion: v1
        kind: Service
        metadata: {name: {{name}}, namespace: default}
        spec:
          selector: {app: {{name}}}
          ports: [{name: {{portName}}, port: 8080}]
        ---
        apiVersion: networking.istio.io/v1
        kind: WorkloadEntry
        metadata: {name: {{name}}-1, namespace: default}
        spec:
          address: 127.0.0.1
          labels: {app: {{name}}}
          ports: {{{portName}}: {{port}}}
        """;

    [Fact]
    public async Task Two_https_servers_on_one_port_answer_each_sni_with_its_own_certificate_and_backend()
    {
        (await Eventually(() => HttpsGetAsync("a.example.com"))).Should().Be("a.example.com: hello from a");
        (await Eventually(() => HttpsGetAsync("b.example.com"))).Should().Be("b.example.com: hello from b");
    }

    [Fact]
    public async Task Tls_server_terminates_tls_and_tunnels_the_bytes_to_the_tcp_backend()
    {
        (await Eventually(() => EchoThroughTlsAsync("echo.example.com", "ping over terminated tls\n")))
            .Should().Be("echo.example.com: ping over terminated tls\n");
    }

    /// <summary>GET / over TLS with SNI <paramref name="sni"/>: "CERTIFICATE-DNS-NAME: BODY".</summary>
    private async Task<string> HttpsGetAsync(string sni)
    {
        string? presented = null;
        using var handler = new SocketsHttpHandler
        {
            UseProxy = false,
            ConnectCallback = async (_, token) =>
            {
                var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                await socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, _httpsPort), token);
                return new NetworkStream(socket, ownsSocket: true);
            },
            SslOptions =
            {
                // The test CA is not trusted by the machine; what matters is which certificate each SNI gets.
                RemoteCertificateValidationCallback = (_, certificate, _, _) =>
                {
                    presented = (certificate as System.Security.Cryptography.X509Certificates.X509Certificate2)?.GetNameInfo(System.Security.Cryptography.X509Certificates.X509NameType.DnsName, false);
                    return true;
                },
            },
        };
        using var client = new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(5) };
        using var response = await client.GetAsync($"https://{sni}:{_httpsPort}/");
        response.EnsureSuccessStatusCode();
        return $"{presented}: {await response.Content.ReadAsStringAsync()}";
    }

    /// <summary>Writes <paramref name="line"/> over TLS (SNI <paramref name="sni"/>) and reads the echo: "CERTIFICATE-DNS-NAME: ECHO".</summary>
    private async Task<string> EchoThroughTlsAsync(string sni, string line)
    {
        using var client = new TcpClient();
        await client.ConnectAsync(IPAddress.Loopback, _tlsPort);
        await using var tls = new SslStream(client.GetStream(), leaveInnerStreamOpen: false, (_, _, _, _) => true);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        await tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions { TargetHost = sni }, timeout.Token);
        var presented = new System.Security.Cryptography.X509Certificates.X509Certificate2(tls.RemoteCertificate!)
            .GetNameInfo(System.Security.Cryptography.X509Certificates.X509NameType.DnsName, false);
        var sent = Encoding.ASCII.GetBytes(line);
        await tls.WriteAsync(sent, timeout.Token);
        var received = new byte[sent.Length];
        var read = 0;
        while (read < received.Length)
        {
            var n = await tls.ReadAsync(received.AsMemory(read), timeout.Token);
            if (n == 0) throw new IOException($"closed after {read} bytes");
            read += n;
        }
        return $"{presented}: {Encoding.ASCII.GetString(received)}";
    }

    /// <summary>Retries until the gateway has its config (bounded: 300 tries, 30 s).</summary>
    private static async Task<string> Eventually(Func<Task<string>> attempt)
    {
        var clock = Stopwatch.StartNew();
        var last = "";
        for (var i = 0; i < 300 && clock.Elapsed < TimeSpan.FromSeconds(30); i++)
        {
            try
            {
                return await attempt();
            }
            catch (Exception e) when (e is HttpRequestException or IOException or SocketException or System.Security.Authentication.AuthenticationException or OperationCanceledException)
            {
                last = e.Message;
            }
            await Task.Delay(100);
        }
        throw new Xunit.Sdk.XunitException($"gave up: last error {last}");
    }

    private async Task<int> StartAppAsync(string body)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        app.Run(context => context.Response.WriteAsync(body));
        await app.StartAsync();
        _apps.Add(app);
        return new Uri(app.Urls.First()).Port;
    }

    private static async Task EchoAsync(TcpListener listener, CancellationToken stop)
    {
        var connections = new List<Task>();
        try
        {
            while (!stop.IsCancellationRequested)
            {
                var client = await listener.AcceptTcpClientAsync(stop);
                connections.Add(Task.Run(async () =>
                {
                    using (client)
                    {
                        try
                        {
                            await client.GetStream().CopyToAsync(client.GetStream(), stop);
                        }
                        catch (Exception e) when (e is IOException or OperationCanceledException)
                        {
                            // the proxy closed or the test ended
                        }
                    }
                }, stop));
            }
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
        {
            // stopped
        }
        await Task.WhenAll(connections).ContinueWith(_ => { }, TaskScheduler.Default);
    }

    public async Task DisposeAsync()
    {
        if (_gateway is not null) await _gateway.DisposeAsync();
        foreach (var app in _apps) await app.DisposeAsync();
        if (_host is not null) await _host.DisposeAsync();
        await _stop.CancelAsync();
        _echo?.Stop();
        await _echoLoop;
        _stop.Dispose();
        TempDirectory.Delete(_root);
    }
}
