using System.Net;
using System.Net.Sockets;

namespace Rigging.Proxy.Tests.Infrastructure;

/// <summary>A loopback port nobody listens on right now.</summary>
internal static class FreePort
{
    public static int Get()
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)socket.LocalEndPoint!).Port;
    }
}
