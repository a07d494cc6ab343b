using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;

namespace Rigging.Xds.Grpc.Server;

/// <summary>
/// A Kestrel server that only speaks gRPC: h2c with prior knowledge, or h2 over TLS when a certificate is
/// given. For a host that serves more than gRPC, use <see cref="GrpcApplicationBuilderExtensions.UseGrpcServices"/>.
/// </summary>
public sealed class GrpcServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private GrpcServer(WebApplication app, int port, bool tls)
    {
        _app = app;
        Port = port;
        Address = new Uri($"{(tls ? "https" : "http")}://127.0.0.1:{port}");
    }

    public int Port { get; }

    public Uri Address { get; }

    public static async Task<GrpcServer> StartAsync(GrpcServiceRegistry services, CancellationToken cancellationToken = default)
    {
        GrpcServerOptions options = services.Options;
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.WebHost.UseKestrelCore();
        builder.WebHost.ConfigureKestrel(kestrel => ConfigureKestrel(kestrel, options));
        var app = builder.Build();
        app.Run(services.HandleAsync);
        await app.StartAsync(cancellationToken).ConfigureAwait(false);

        var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!;
        int port = new Uri(addresses.Addresses.First()).Port;
        return new GrpcServer(app, port, options.ServerCertificate is not null);
    }

    internal static void ConfigureKestrel(KestrelServerOptions kestrel, GrpcServerOptions options)
    {
        kestrel.AddServerHeader = false;
        kestrel.Limits.Http2.MaxStreamsPerConnection = options.MaxStreamsPerConnection;
        kestrel.Limits.Http2.KeepAlivePingDelay = options.KeepAlivePingDelay;
        kestrel.Limits.Http2.KeepAlivePingTimeout = options.KeepAlivePingTimeout;
        kestrel.Limits.MinRequestBodyDataRate = null; // long-lived streams are idle most of the time
        kestrel.Limits.MinResponseDataRate = null;
        kestrel.Listen(new IPEndPoint(options.Address, options.Port), listen =>
        {
            listen.Protocols = HttpProtocols.Http2;
            if (options.ServerCertificate is not null)
            {
                listen.UseHttps(options.ServerCertificate);
            }
        });
    }

    public async ValueTask DisposeAsync()
    {
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
    }
}
