using System.Net.Sockets;
using System.Text;
using FluentAssertions;
using Rigging.Proxy.Tests.Infrastructure;
using Rigging.Proxy.Tests.Listeners;
using Rigging.Proxy.Tests.Routing;
using Action = Envoy.Config.Rbac.V3.RBAC.Types.Action;

namespace Rigging.Proxy.Tests.Security.Authorization;

/// <summary>envoy.filters.network.rbac in front of tcp_proxy: a refused connection is closed before any upstream is dialled.</summary>
public sealed class NetworkRbacTests
{
    private static async Task<string> ReadGreetingAsync(int port)
    {
        using var client = new TcpClient();
        var buffer = new byte[256];
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        try
        {
            await client.ConnectAsync("127.0.0.1", port);
            var read = await client.GetStream().ReadAsync(buffer, timeout.Token);
            return Encoding.ASCII.GetString(buffer, 0, read);
        }
        catch (Exception e) when (e is IOException or SocketException { SocketErrorCode: SocketError.ConnectionReset })
        {
            // A refused connection is closed at once: the client sees an end of stream, or a reset when the close
            // races its connect.
            return "";
        }
    }

    [Fact]
    public async Task Connection_from_a_denied_address_is_closed_and_never_reaches_the_backend()
    {
        await using var backend = TcpBackend.Start("db");
        await using var mesh = await ProxyFixture.StartAsync();
        var port = FreePort.Get();
        var rules = EnvoyConfig.Rbac(Action.Deny, ("loopback", EnvoyConfig.AnyPermission(), EnvoyConfig.DirectRemote("127.0.0.0", 8)));
        await mesh.ApplyAsync(EnvoyConfig.RbacTcpListener("tcp_in", port, "db", rules), EnvoyConfig.EdsCluster("db"), EnvoyConfig.Endpoints("db", backend.Port));

        (await ReadGreetingAsync(port)).Should().BeEmpty();
        backend.Connections.Should().Be(0);
        await Eventually.TrueAsync(() => mesh.Proxy.Stats.Get("tcp_in", "tcp.rbac.denied") == 1);
    }

    [Fact]
    public async Task Connection_allowed_by_destination_port_is_proxied()
    {
        await using var backend = TcpBackend.Start("db");
        await using var mesh = await ProxyFixture.StartAsync();
        var port = FreePort.Get();
        var rules = EnvoyConfig.Rbac(Action.Allow, ("port", new Envoy.Config.Rbac.V3.Permission { DestinationPort = (uint)port }, EnvoyConfig.AnyPrincipal()));
        await mesh.ApplyAsync(EnvoyConfig.RbacTcpListener("tcp_in", port, "db", rules), EnvoyConfig.EdsCluster("db"), EnvoyConfig.Endpoints("db", backend.Port));

        (await ReadGreetingAsync(port)).Should().StartWith("db");
        await Eventually.TrueAsync(() => mesh.Proxy.Stats.Get("tcp_in", "tcp.rbac.allowed") == 1);
    }
}
