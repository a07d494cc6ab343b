using System.Net;
using System.Net.Sockets;

namespace Rigging.Cli.Demo.Mesh;

/// <summary>
/// Distinct free ports for a mesh on one machine (the demo, the end-to-end tests), all held until every one is chosen
/// (so no two are the same), taken from below the kernel's ephemeral range: the mesh's processes open thousands of
/// client connections, and a port from the ephemeral range can be taken by one of them as its local port before the
/// proxy that was given it binds (EADDRINUSE).
/// </summary>
public static class FreePorts
{
    private const int Lowest = 10000;

    public static int[] Take(int count)
    {
        var below = EphemeralStart();
        if (below - Lowest < count * 20) return TakeAny(count);
        var random = new Random();
        var sockets = new List<Socket>(count);
        try
        {
            for (var attempt = 0; sockets.Count < count && attempt < count * 100; attempt++)
            {
                var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                try
                {
                    // Every address: a port some process listens on, on any address, is refused.
                    socket.Bind(new IPEndPoint(IPAddress.Any, random.Next(Lowest, below)));
                    sockets.Add(socket);
                }
                catch (SocketException)
                {
                    socket.Dispose();
                }
            }
            if (sockets.Count < count) throw new InvalidOperationException($"found only {sockets.Count} of {count} free ports in {Lowest}-{below - 1}");
            return [.. sockets.Select(s => ((IPEndPoint)s.LocalEndPoint!).Port)];
        }
        finally
        {
            foreach (var socket in sockets) socket.Dispose();
        }
    }

    private static int[] TakeAny(int count)
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

    /// <summary>The first port of the kernel's ephemeral range (Linux's default 32768 when it cannot be read).</summary>
    private static int EphemeralStart()
    {
        try
        {
            var text = File.ReadAllText("/proc/sys/net/ipv4/ip_local_port_range").Split((char[])['\t', ' ', '\n'], StringSplitOptions.RemoveEmptyEntries);
            return text.Length > 0 && int.TryParse(text[0], out var start) ? start : 32768;
        }
        catch (IOException)
        {
            return 32768;
        }
    }
}
