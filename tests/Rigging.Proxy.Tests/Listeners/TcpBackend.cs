using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Rigging.Proxy.Tests.Infrastructure;

namespace Rigging.Proxy.Tests.Listeners;

/// <summary>A raw TCP server that greets each connection with its name (optionally over TLS), then echoes.</summary>
internal sealed class TcpBackend : IAsyncDisposable
{
    private readonly TcpListener _listener;
    private readonly CancellationTokenSource _stop = new();
    private readonly X509Certificate2? _certificate;
    private readonly Task _accepting;
    private int _connections;

    private TcpBackend(string name, bool tls)
    {
        Name = name;
        Port = FreePort.Get();
        _listener = new TcpListener(IPAddress.Loopback, Port);
        _listener.Start();
        if (tls)
        {
            using var key = RSA.Create(2048);
            var request = new CertificateRequest($"CN={name}", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
            using var made = request.CreateSelfSigned(DateTimeOffset.Parse("2020-01-01", System.Globalization.CultureInfo.InvariantCulture), DateTimeOffset.Parse("2100-01-01", System.Globalization.CultureInfo.InvariantCulture));
            _certificate = X509CertificateLoader.LoadPkcs12(made.Export(X509ContentType.Pfx), null);
        }
        _accepting = AcceptAsync();
    }

    public string Name { get; }

    public int Port { get; }

    public int Connections => Volatile.Read(ref _connections);

    public static TcpBackend Start(string name, bool tls = false) => new(name, tls);

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(_stop.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }
            Interlocked.Increment(ref _connections);
            _ = ServeAsync(client);
        }
    }

    private async Task ServeAsync(TcpClient client)
    {
        using (client)
        {
            try
            {
                Stream stream = client.GetStream();
                if (_certificate is not null)
                {
                    var ssl = new SslStream(stream);
                    await ssl.AuthenticateAsServerAsync(new SslServerAuthenticationOptions { ServerCertificate = _certificate }, _stop.Token);
                    stream = ssl;
                }
                await stream.WriteAsync(Encoding.ASCII.GetBytes(Name + "\n"), _stop.Token);
                await stream.FlushAsync(_stop.Token);
                var buffer = new byte[1024];
                for (var i = 0; i < 1000; i++)
                {
                    var n = await stream.ReadAsync(buffer, _stop.Token);
                    if (n == 0) return;
                    await stream.WriteAsync(buffer.AsMemory(0, n), _stop.Token);
                }
            }
            catch (Exception e) when (e is IOException or OperationCanceledException or System.Security.Authentication.AuthenticationException or ObjectDisposedException)
            {
                // The test is done with this connection.
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        try
        {
            await _accepting;
        }
        catch (OperationCanceledException)
        {
        }
        _certificate?.Dispose();
        _stop.Dispose();
    }
}
