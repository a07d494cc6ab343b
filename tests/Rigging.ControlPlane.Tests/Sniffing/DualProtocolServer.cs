using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Rigging.ControlPlane.Tests.Sniffing;

/// <summary>
/// An application on loopback that speaks both protocols a sniffed port may carry: a connection that opens with an
/// HTTP/1 request line gets HTTP answers (200, body "http PATH", keep-alive), any other connection gets its bytes
/// echoed back. Bodiless requests only, which is all the tests send.
/// </summary>
internal sealed class DualProtocolServer : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _accepting;
    private int _httpRequests;
    private int _echoConnections;

    public DualProtocolServer()
    {
        _listener.Start();
        _accepting = AcceptAsync();
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    public int HttpRequests => Volatile.Read(ref _httpRequests);

    public int EchoConnections => Volatile.Read(ref _echoConnections);

    private async Task AcceptAsync()
    {
        var running = new List<Task>();
        try
        {
            while (true)
            {
                var client = await _listener.AcceptTcpClientAsync(_stop.Token);
                running.Add(ServeAsync(client));
            }
        }
        catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
        {
            // Stopped.
        }
        await Task.WhenAll(running);
    }

    private async Task ServeAsync(TcpClient client)
    {
        using (client)
        {
            var stream = client.GetStream();
            var buffer = new byte[16 * 1024];
            var pending = new StringBuilder();
            try
            {
                var read = await stream.ReadAsync(buffer, _stop.Token);
                if (read == 0) return;
                var first = Encoding.Latin1.GetString(buffer, 0, read);
                if (!LooksLikeHttp(first))
                {
                    Interlocked.Increment(ref _echoConnections);
                    do
                    {
                        await stream.WriteAsync(buffer.AsMemory(0, read), _stop.Token);
                        read = await stream.ReadAsync(buffer, _stop.Token);
                    }
                    while (read > 0);
                    return;
                }
                pending.Append(first);
                while (true)
                {
                    var text = pending.ToString();
                    var end = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
                    if (end >= 0)
                    {
                        var path = text.Split(' ', 3)[1];
                        pending.Remove(0, end + 4);
                        Interlocked.Increment(ref _httpRequests);
                        var body = "http " + path;
                        await stream.WriteAsync(Encoding.ASCII.GetBytes($"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: {body.Length}\r\n\r\n{body}"), _stop.Token);
                        continue;
                    }
                    read = await stream.ReadAsync(buffer, _stop.Token);
                    if (read == 0) return;
                    pending.Append(Encoding.Latin1.GetString(buffer, 0, read));
                }
            }
            catch (Exception e) when (e is OperationCanceledException or IOException or SocketException)
            {
                // The caller or the test went away.
            }
        }
    }

    private static bool LooksLikeHttp(string first)
    {
        var line = first.Split("\r\n")[0].Split(' ');
        return line.Length == 3 && line[2].StartsWith("HTTP/1.", StringComparison.Ordinal);
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        await _accepting;
        _stop.Dispose();
    }
}
