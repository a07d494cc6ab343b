using System.Net;
using System.Net.Sockets;

namespace Rigging.ControlPlane.Tests.Host;

/// <summary>
/// A free port for a listener a test tells a proxy to bind, taken from below the kernel's ephemeral range: a port
/// the kernel handed out (bind to 0) can be taken as the local port of some client connection before the proxy
/// binds it (EADDRINUSE, the listener NACKed), which made end-to-end runs flaky.
/// </summary>
public static class LoopbackPorts
{
    private const int Lowest = 10000;
    private static readonly int Below = EphemeralStart();

    public static int Free()
    {
        for (var attempt = 0; attempt < 200; attempt++)
        {
            using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            try
            {
                // Every address: a port some process listens on, on any address, is refused.
                socket.Bind(new IPEndPoint(IPAddress.Any, Random.Shared.Next(Lowest, Below)));
                return ((IPEndPoint)socket.LocalEndPoint!).Port;
            }
            catch (SocketException)
            {
                // Taken; try another.
            }
        }
        throw new InvalidOperationException($"no free port found in {Lowest}-{Below - 1}");
    }

    /// <summary>The first port of the ephemeral range (Linux's default 32768 when it cannot be read).</summary>
    private static int EphemeralStart()
    {
        try
        {
            var range = File.ReadAllText("/proc/sys/net/ipv4/ip_local_port_range").Split((char[])['\t', ' ', '\n'], StringSplitOptions.RemoveEmptyEntries);
            return range.Length > 0 && int.TryParse(range[0], out var start) && start > Lowest + 1000 ? start : 32768;
        }
        catch (IOException)
        {
            return 32768;
        }
    }
}
