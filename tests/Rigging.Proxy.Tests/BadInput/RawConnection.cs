using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Rigging.Proxy.Tests.BadInput;

/// <summary>A raw TCP connection to the proxy: writes bytes as given and reads what comes back until close or a deadline.</summary>
internal sealed class RawConnection : IAsyncDisposable
{
    private readonly TcpClient _tcp;

    private RawConnection(TcpClient tcp) => _tcp = tcp;

    public NetworkStream Stream => _tcp.GetStream();

    public static async Task<RawConnection> OpenAsync(int port)
    {
        var tcp = new TcpClient { NoDelay = true };
        await tcp.ConnectAsync(IPAddress.Loopback, port);
        return new RawConnection(tcp);
    }

    public Task SendAsync(string latin1) => Stream.WriteAsync(Encoding.Latin1.GetBytes(latin1)).AsTask();

    /// <summary>Everything received until the peer closes (Closed) or the deadline passes (not Closed).</summary>
    public async Task<(string Text, bool Closed)> ReadUntilCloseAsync(TimeSpan deadline)
    {
        var received = new StringBuilder();
        var buffer = new byte[16384];
        using var timeout = new CancellationTokenSource(deadline);
        try
        {
            while (true)
            {
                var read = await Stream.ReadAsync(buffer, timeout.Token);
                if (read == 0) return (received.ToString(), true);
                received.Append(Encoding.Latin1.GetString(buffer, 0, read));
            }
        }
        catch (OperationCanceledException)
        {
            return (received.ToString(), false);
        }
        catch (IOException)
        {
            return (received.ToString(), true);
        }
    }

    public static int Status(string response) =>
        response.Length >= 12 && response.StartsWith("HTTP/1.1 ", StringComparison.Ordinal) && int.TryParse(response.AsSpan(9, 3), out var s) ? s : 0;

    public ValueTask DisposeAsync()
    {
        _tcp.Dispose();
        return ValueTask.CompletedTask;
    }
}
