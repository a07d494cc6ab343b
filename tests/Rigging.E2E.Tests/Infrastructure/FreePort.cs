using System.Net;
using System.Net.Sockets;

namespace Rigging.E2E.Tests.Infrastructure;

/// <summary>Distinct free loopback ports, all held until every one is chosen (so no two are the same).</summary>
internal static class FreePort
{
    public static int[] Take(int count)
    {
        var sockets = new List<Socket>(count);
        try
        {
            for (var i = 0; i < count; i++)
            {
                var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                sockets.Add(socket);
                socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
            }
            return [.. sockets.Select(s => ((IPEndPoint)s.LocalEndPoint!).Port)];
        }
        finally
        {
            foreach (var socket in sockets) socket.Dispose();
        }
    }
}
