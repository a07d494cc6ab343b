using System.Net;
using System.Net.Sockets;
using Envoy.Config.Rbac.V3;
using FluentAssertions;
using Rigging.Proxy.Tests.Infrastructure;

namespace Rigging.Proxy.Tests.Listeners;

/// <summary>
/// A keep-alive connection and a config update that replaces its filter chain: the next request on that connection
/// is judged by the new chain when it is HTTP on the same transport (a new policy applies at once, not when the
/// client happens to reconnect); when the new chain is of another kind the request is served and the connection
/// closed after it, so the client reconnects into the new chains.
/// </summary>
public sealed class ChainUpdateTests
{
    [Fact]
    public async Task Keep_alive_connection_is_judged_by_a_policy_that_arrives_after_it_was_accepted()
    {
        await using var backend = await TestBackend.StartAsync("app");
        await using var proxy = await ProxyFixture.StartAsync();
        var port = FreePort.Get();
        var cluster = EnvoyConfig.EdsCluster("app");
        var endpoints = EnvoyConfig.Endpoints("app", backend.Port);
        var routes = EnvoyConfig.Routes("r", EnvoyConfig.Prefix("/", "app"));
        await proxy.ApplyAsync(cluster, endpoints, routes, EnvoyConfig.HttpListener("inbound", port, "r"));
        var connections = 0;
        using var client = OneConnectionClient(() => Interlocked.Increment(ref connections));

        (await client.GetStringAsync($"http://127.0.0.1:{port}/before")).Should().Be("app /before");

        var denyAll = EnvoyConfig.Rbac(RBAC.Types.Action.Deny, ("all", EnvoyConfig.AnyPermission(), EnvoyConfig.AnyPrincipal()));
        await proxy.ApplyAsync(cluster, endpoints, routes, EnvoyConfig.HttpListener("inbound", port, "r", EnvoyConfig.RbacFilter(denyAll)));
        using var after = await client.GetAsync($"http://127.0.0.1:{port}/after");
        after.StatusCode.Should().Be(HttpStatusCode.Forbidden, "the connection accepted before the policy must not keep the old chain");
        (await after.Content.ReadAsStringAsync()).Should().Be("RBAC: access denied");
        after.Headers.ConnectionClose.Should().NotBe(true, "an HTTP chain on the same transport takes the connection over: no reconnect needed");
        connections.Should().Be(1);
        backend.Requests.Should().Be(1);
    }

    [Fact]
    public async Task Connection_whose_chain_became_tcp_is_served_once_more_then_closed()
    {
        await using var backend = await TestBackend.StartAsync("app");
        await using var db = TcpBackend.Start("db");
        await using var proxy = await ProxyFixture.StartAsync();
        var port = FreePort.Get();
        var resources = new Google.Protobuf.IMessage[]
        {
            EnvoyConfig.EdsCluster("app"), EnvoyConfig.Endpoints("app", backend.Port),
            EnvoyConfig.EdsCluster("db"), EnvoyConfig.Endpoints("db", db.Port),
            EnvoyConfig.Routes("r", EnvoyConfig.Prefix("/", "app")),
        };
        await proxy.ApplyAsync([.. resources, EnvoyConfig.HttpListener("inbound", port, "r")]);
        using var client = OneConnectionClient(() => { });
        (await client.GetStringAsync($"http://127.0.0.1:{port}/one")).Should().Be("app /one");

        await proxy.ApplyAsync([.. resources, EnvoyConfig.TcpListener("inbound", port, "db")]);
        using var last = await client.GetAsync($"http://127.0.0.1:{port}/two");
        (await last.Content.ReadAsStringAsync()).Should().Be("app /two", "the request the connection brought is still served, on its old chain");
        last.Headers.ConnectionClose.Should().BeTrue("then the connection is drained: the client reconnects into the TCP chain");

        using var fresh = new TcpClient();
        await fresh.ConnectAsync(IPAddress.Loopback, port);
        var greeting = await new StreamReader(fresh.GetStream()).ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(5));
        greeting.Should().Be("db", "a new connection takes the new TCP chain");
    }

    /// <summary>An HTTP client held to one keep-alive connection, counting the connections it opens.</summary>
    private static HttpClient OneConnectionClient(Action connected) => new(new SocketsHttpHandler
    {
        MaxConnectionsPerServer = 1,
        ConnectCallback = async (context, cancellation) =>
        {
            var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            await socket.ConnectAsync(context.DnsEndPoint, cancellation);
            connected();
            return new NetworkStream(socket, ownsSocket: true);
        },
    })
    {
        Timeout = TimeSpan.FromSeconds(10),
    };
}
