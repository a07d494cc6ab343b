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
    private readonly CancellationTokenSource _stopping;

    private GrpcServer(WebApplication app, CancellationTokenSource stopping, int port, bool tls)
    {
        _app = app;
        _stopping = stopping;
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
        var stopping = new CancellationTokenSource();
        app.Run(context =>
        {
            // Long-lived streams end with UNAVAILABLE when the server stops, instead of holding the shutdown.
            context.Items[GrpcServerCall.StoppingKey] = stopping.Token;
            return services.HandleAsync(context);
        });
        await app.StartAsync(cancellationToken).ConfigureAwait(false);

        var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!;
        int port = new Uri(addresses.Addresses.First()).Port;
        return new GrpcServer(app, stopping, port, options.ServerCertificate is not null);
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
