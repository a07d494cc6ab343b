using System.Net;
using System.Net.Sockets;
using System.Text;
using Rigging.Proxy;

namespace Rigging.ControlPlane.Tests.Host;

/// <summary>Raw TCP through a sidecar: a CONNECT tunnel from its outbound port, and payloads written and read back.</summary>
internal static class MeshTunnel
{
    /// <summary>CONNECT through the client sidecar's outbound port; the CONNECT answer line and what came back (null: closed, no bytes).</summary>
    public static async Task<(string Answer, string? Echoed)> EchoAsync(ProxyHost client, string authority, string payload)
    {
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(IPAddress.Loopback, client.Options.OutboundPort!.Value);
        var stream = tcp.GetStream();
        await stream.WriteAsync(Encoding.ASCII.GetBytes($"CONNECT {authority} HTTP/1.1\r\nHost: {authority}\r\n\r\n"));
        var head = await ReadHeadAsync(stream);
        if (!head.StartsWith("HTTP/1.1 200", StringComparison.Ordinal)) return (head, null);
        return (head, await SendAndReadAsync(stream, payload));
    }

    /// <summary>Writes the payload and reads as many bytes back; null when the connection is closed or reset first.</summary>
    public static async Task<string?> SendAndReadAsync(NetworkStream stream, string payload)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var expected = Encoding.ASCII.GetByteCount(payload);
        var buffer = new byte[expected];
        var got = 0;
        try
        {
            await stream.WriteAsync(Encoding.ASCII.GetBytes(payload), timeout.Token);
            while (got < expected)
            {
                var read = await stream.ReadAsync(buffer.AsMemory(got), timeout.Token);
                if (read == 0) break;
                got += read;
            }
        }
        catch (IOException)
        {
            // Reset by a proxy: closed.
        }
        return got == 0 ? null : Encoding.ASCII.GetString(buffer, 0, got);
    }

    /// <summary>The first line of an HTTP head read byte by byte (so nothing after it is consumed); "(closed)" when none came.</summary>
    private static async Task<string> ReadHeadAsync(NetworkStream stream)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var head = new StringBuilder();
        var one = new byte[1];
        try
        {
            while (!head.ToString().EndsWith("\r\n\r\n", StringComparison.Ordinal) && head.Length < 4096)
            {
                if (await stream.ReadAsync(one, timeout.Token) == 0) break;
                head.Append((char)one[0]);
            }
        }
        catch (IOException e)
        {
            head.Append(e.Message);
        }
        return head.Length == 0 ? "(closed)" : head.ToString().Split("\r\n")[0];
    }
}
