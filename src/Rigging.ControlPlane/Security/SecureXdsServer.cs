using System.Net;
using System.Net.Security;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Rigging.Xds.Grpc.Server;

namespace Rigging.ControlPlane.Security;

/// <summary>
/// The xDS TLS port (Istio's 15012): h2 over TLS with the CA-issued serving certificate, chosen per handshake so a
/// renewal needs no restart; serves ADS and the CA service (the CA is on this port only).
/// </summary>
public sealed class SecureXdsServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly CancellationTokenSource _stopping;

    private SecureXdsServer(WebApplication app, CancellationTokenSource stopping, int port)
    {
        _app = app;
        _stopping = stopping;
        Port = port;
    }

    public int Port { get; }

    public static async Task<SecureXdsServer> StartAsync(GrpcServiceRegistry services, ServingCertificate certificate, IPAddress address, int port, CancellationToken cancellationToken)
    {
        var options = services.Options;
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        builder.WebHost.UseKestrelCore();
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Limits.Http2.MaxStreamsPerConnection = options.MaxStreamsPerConnection;
            kestrel.Limits.Http2.KeepAlivePingDelay = options.KeepAlivePingDelay;
            kestrel.Limits.Http2.KeepAlivePingTimeout = options.KeepAlivePingTimeout;
            kestrel.Limits.MinRequestBodyDataRate = null; // ADS streams are idle most of the time
            kestrel.Limits.MinResponseDataRate = null;
            kestrel.Listen(new IPEndPoint(address, port), listen =>
            {
                listen.Protocols = HttpProtocols.Http2;
                listen.UseHttps(new TlsHandshakeCallbackOptions
                {
                    HandshakeTimeout = TimeSpan.FromSeconds(10),
                    OnConnection = _ => ValueTask.FromResult(new SslServerAuthenticationOptions
                    {
                        ServerCertificateContext = certificate.Context,
                        ApplicationProtocols = [SslApplicationProtocol.Http2],
                        // Asked for, never required: a renewing workload presents its certificate, which the CA
                        // service verifies itself; a proxy without one (bootstrap token, plain ADS) sends none.
                        ClientCertificateRequired = true,
                        RemoteCertificateValidationCallback = (_, _, _, _) => true,
                    }),
                });
            });
        });
        var app = builder.Build();
        var stopping = new CancellationTokenSource();
        app.Run(context =>
        {
            // GrpcServerCall.StoppingKey: long-lived streams end UNAVAILABLE on stop instead of holding it.
            context.Items["rigging.grpc.stopping"] = stopping.Token;
            return services.HandleAsync(context);
        });
        await app.StartAsync(cancellationToken).ConfigureAwait(false);
        var bound = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new SecureXdsServer(app, stopping, new Uri(bound).Port);
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        using (var stop = new CancellationTokenSource(TimeSpan.FromSeconds(5)))
        {
            try
            {
                await _app.StopAsync(stop.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                // Streams that did not end in time are cut by DisposeAsync below.
            }
        }

        await _app.DisposeAsync().ConfigureAwait(false);
        _stopping.Dispose();
    }
}
