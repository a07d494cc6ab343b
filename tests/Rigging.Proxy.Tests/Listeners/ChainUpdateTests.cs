using System.Net;
using System.Net.Sockets;
using Envoy.Config.Rbac.V3;
using FluentAssertions;
using Rigging.Proxy.Tests.Infrastructure;

namespace Rigging.Proxy.Tests.Listeners;

/// <summary>
/// A live connection and a config update that replaces its filter chain. HTTP: the next request on a keep-alive
/// connection is judged by the new chain when it is HTTP on the same transport (a new policy applies at once, not
/// when the client happens to reconnect); when the new chain is of another kind the request is served and the
/// connection closed after it, so the client reconnects into the new chains. TCP: a connection whose chain changed
/// is closed after the drain time, one whose chain is configured as before is left alone.
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

    [Fact]
    public async Task Tcp_connection_of_a_changed_chain_is_closed_after_the_drain_time_and_one_of_an_unchanged_chain_stays()
    {
        await using var db = TcpBackend.Start("db");
        await using var proxy = await ProxyFixture.StartAsync(drainDuration: TimeSpan.FromSeconds(1));
        var port = FreePort.Get();
        var cluster = EnvoyConfig.EdsCluster("db");
        var allowAll = EnvoyConfig.Rbac(RBAC.Types.Action.Allow, ("all", EnvoyConfig.AnyPermission(), EnvoyConfig.AnyPrincipal()));
        var listener = EnvoyConfig.RbacTcpListener("tcp", port, "db", allowAll);
        await proxy.ApplyAsync(cluster, EnvoyConfig.Endpoints("db", db.Port), listener);

        using var client = new TcpClient();
        await client.ConnectAsync(IPAddress.Loopback, port);
        var reader = new StreamReader(client.GetStream());
        (await reader.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(5))).Should().Be("db");

        // An update that leaves the chain as it was (here: the endpoints) does not touch the connection.
        await proxy.ApplyAsync(cluster, EnvoyConfig.Endpoints("db", db.Port, FreePort.Get()), listener);
        await Task.Delay(1500);
        (await EchoAsync(client, reader, "still\n")).Should().Be("still", "the chain is configured as before");

        // A new policy changes the chain: the connection it judged is closed once the drain time is over.
        var denyAll = EnvoyConfig.Rbac(RBAC.Types.Action.Deny, ("all", EnvoyConfig.AnyPermission(), EnvoyConfig.AnyPrincipal()));
        await proxy.ApplyAsync(cluster, EnvoyConfig.Endpoints("db", db.Port), EnvoyConfig.RbacTcpListener("tcp", port, "db", denyAll));
        (await EchoAsync(client, reader, "draining\n")).Should().Be("draining", "the drain time lets it finish what it was doing");
        var closed = async () =>
        {
            try
            {
                return await reader.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(5));
            }
            catch (IOException)
            {
                return null; // closed with a reset
            }
        };
        (await closed()).Should().BeNull("after the drain time the connection is closed");
        proxy.Proxy.Stats.Get("tcp", "downstream_cx_drained").Should().Be(1);
    }

    private static async Task<string?> EchoAsync(TcpClient client, StreamReader reader, string line)
    {
        await client.GetStream().WriteAsync(System.Text.Encoding.ASCII.GetBytes(line));
        return await reader.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(5));
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
