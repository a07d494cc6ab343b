using Microsoft.AspNetCore.Http;
using Rigging.Proxy.Security;
using Rigging.Proxy.Tests.Infrastructure;

namespace Rigging.Proxy.Tests.Security.Tls;

/// <summary>
/// Two real proxies with a backend behind the second: the client proxy's plaintext outbound listener routes to a
/// cluster that originates mTLS by transport_socket_matches (tlsMode=istio), the server proxy's inbound listener
/// terminates it (STRICT, or PERMISSIVE with a raw_buffer chain too) and forwards to the backend, which answers
/// with the x-forwarded-client-cert it received. Secrets are set as the local agent sets them.
/// </summary>
internal sealed class MeshPair : IAsyncDisposable
{
    public const string NoXfcc = "none";

    private MeshPair(TestCa ca, TestBackend backend, ProxyFixture server, ProxyFixture client, int serverPort, int clientPort)
    {
        Ca = ca;
        Backend = backend;
        Server = server;
        Client = client;
        ServerPort = serverPort;
        ClientPort = clientPort;
    }

    public TestCa Ca { get; }

    public TestBackend Backend { get; }

    public ProxyFixture Server { get; }

    public ProxyFixture Client { get; }

    public int ServerPort { get; }

    public int ClientPort { get; }

    public Uri ClientUrl => new($"http://127.0.0.1:{ClientPort}/");

    /// <param name="permissive">PERMISSIVE: the inbound listener also takes plaintext.</param>
    /// <param name="expectedServer">The URI SAN the client requires of the server.</param>
    /// <param name="acceptedClients">The URI SAN matcher the server requires of clients.</param>
    public static async Task<MeshPair> StartAsync(bool permissive = false, string? expectedServer = null,
        Envoy.Extensions.TransportSockets.Tls.V3.SubjectAltNameMatcher? acceptedClients = null, Action<MeshPair>? secrets = null,
        TimeSpan? upstreamConnectionLifetime = null, bool http2 = false)
    {
        var ca = TestCa.Create("mesh-root");
        var backend = await TestBackend.StartAsync("backend", static context =>
            context.Response.WriteAsync(context.Request.Headers.TryGetValue(ForwardedClientCert.HeaderName, out var xfcc) ? xfcc.ToString() : NoXfcc));
        var server = await ProxyFixture.StartAsync(new Random(1));
        var client = await ProxyFixture.StartAsync(new Random(2));
        var pair = new MeshPair(ca, backend, server, client, FreePort.Get(), FreePort.Get());
        pair.SetIdentity(server, "server");
        pair.SetIdentity(client, "client");
        secrets?.Invoke(pair);
        var inbound = EnvoyConfig.DownstreamTls(SecretStore.WorkloadIdentity, SecretStore.RootCa, true,
            acceptedClients ?? EnvoyConfig.UriSanPrefix("spiffe://cluster.local/"));
        await server.ApplyAsync(EnvoyConfig.InboundListener("inbound", pair.ServerPort, "backend", inbound, permissive), EnvoyConfig.StaticCluster("backend", backend.Port));
        var outbound = EnvoyConfig.UpstreamTls(SecretStore.WorkloadIdentity, SecretStore.RootCa, "outbound_.8080_._.server.default.svc.cluster.local",
            EnvoyConfig.UriSan(expectedServer ?? EnvoyConfig.Spiffe("server")));
        var cluster = EnvoyConfig.MeshCluster("server", outbound, (pair.ServerPort, true));
        if (http2) cluster.Http2ProtocolOptions = new Envoy.Config.Core.V3.Http2ProtocolOptions();
        if (upstreamConnectionLifetime is { } lifetime)
            cluster.CommonHttpProtocolOptions = new Envoy.Config.Core.V3.HttpProtocolOptions { MaxConnectionDuration = Google.Protobuf.WellKnownTypes.Duration.FromTimeSpan(lifetime) };
        await client.ApplyAsync(EnvoyConfig.PlainListener("outbound", pair.ClientPort, "server"), cluster);
        return pair;
    }

    /// <summary>Gives a proxy a fresh SVID for <paramref name="serviceAccount"/> from this CA and trust in this CA.</summary>
    public void SetIdentity(ProxyFixture proxy, string serviceAccount)
    {
        proxy.Proxy.Secrets.Set(SecretStore.WorkloadIdentity, Ca.Identity(EnvoyConfig.Spiffe(serviceAccount)));
        proxy.Proxy.Secrets.Set(SecretStore.RootCa, Ca.Trust);
    }

    public long ServerStat(string name) => Server.Proxy.Stats.Get("listener.inbound", name);

    public long ClientStat(string name) => Client.Proxy.Stats.Get("cluster.server", name);

    public async ValueTask DisposeAsync()
    {
        await Client.DisposeAsync();
        await Server.DisposeAsync();
        await Backend.DisposeAsync();
        Ca.Dispose();
    }
}
