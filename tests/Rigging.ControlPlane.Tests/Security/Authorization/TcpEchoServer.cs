using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;

namespace Rigging.ControlPlane.Tests.Security.Authorization;

/// <summary>
/// A TCP application on loopback that writes back every byte it reads, one task per connection. Given a certificate
/// it also serves TLS itself, as an application with its own TLS port does: a connection that opens with a TLS
/// handshake is answered with that certificate, then echoed inside TLS.
/// </summary>
internal sealed class TcpEchoServer : IAsyncDisposable
{
    private readonly X509Certificate2? _certificate;
    private readonly Task _accepting;
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private int _connections;

    public TcpEchoServer(X509Certificate2? certificate = null)
    {
        _certificate = certificate;
        _listener.Start();
        _accepting = AcceptAsync();
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    /// <summary>Connections the application has accepted (a refused caller must never reach it).</summary>
    public int Connections => Volatile.Read(ref _connections);

    private async Task AcceptAsync()
    {
        var running = new List<Task>();
        try
        {
            while (true)
            {
                var client = await _listener.AcceptTcpClientAsync(_stop.Token);
                Interlocked.Increment(ref _connections);
                running.Add(EchoAsync(client));
            }
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
        {
            // Stopped.
        }
        await Task.WhenAll(running);
    }

    private async Task EchoAsync(TcpClient client)
    {
        using (client)
        {
            Stream stream = client.GetStream();
            var buffer = new byte[4096];
            try
            {
                if (_certificate is not null && await OpensWithTlsAsync(client))
                {
                    var tls = new SslStream(stream);
                    await tls.AuthenticateAsServerAsync(new SslServerAuthenticationOptions { ServerCertificate = _certificate }, _stop.Token);
                    stream = tls;
                }
                int read;
                while ((read = await stream.ReadAsync(buffer, _stop.Token)) > 0) await stream.WriteAsync(buffer.AsMemory(0, read), _stop.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or IOException or SocketException or System.Security.Authentication.AuthenticationException)
            {
                // The peer or the test went away.
            }
            finally
            {
                await stream.DisposeAsync();
            }
        }
    }

    /// <summary>Whether the connection's first byte (peeked, not consumed) is a TLS handshake record.</summary>
    private async Task<bool> OpensWithTlsAsync(TcpClient client)
    {
        var first = new byte[1];
        var read = await client.Client.ReceiveAsync(first, SocketFlags.Peek, _stop.Token);
        return read == 1 && first[0] == 0x16;
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        await _accepting;
        _stop.Dispose();
    }
}
