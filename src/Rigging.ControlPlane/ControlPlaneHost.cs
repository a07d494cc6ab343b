using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Rigging.ControlPlane.Config;
using Rigging.ControlPlane.Debug;
using Rigging.ControlPlane.Push;
using Rigging.ControlPlane.Registry;
using Rigging.Xds.Cache;
using Rigging.Xds.Grpc.Server;
using Rigging.Xds.Server;

namespace Rigging.ControlPlane;

/// <summary>
/// The running control plane (istiod's Pilot part), wired:
/// config store (watched directory) and proxy registry (ADS stream opens/closes) → push requests → debouncer →
/// <see cref="XdsPusher"/> → snapshot cache → ADS server on the xDS port; the HTTP port serves /ready, /metrics,
/// /debug/* and the resources API.
/// </summary>
public sealed class ControlPlaneHost : IAsyncDisposable
{
    private readonly ControlPlaneOptions _options;
    private readonly ILogger _logger;
    private GrpcServer? _xds;
    private WebApplication? _http;

    private ControlPlaneHost(ControlPlaneOptions options)
    {
        _options = options;
        _logger = options.LoggerFactory.CreateLogger("rigging.control-plane");
        var time = options.TimeProvider;
        Cache = new SnapshotCache(time);
        Store = new ConfigStore(new ConfigStoreOptions
        {
            Directory = options.ConfigDirectory,
            Debounce = options.ConfigDebounce,
            RescanPeriod = options.ConfigRescanPeriod,
            TimeProvider = time,
            Logger = options.LoggerFactory.CreateLogger("rigging.config"),
        });
        Registry = new ProxyRegistry(options.RegistrationGracePeriod, time, options.LoggerFactory.CreateLogger("rigging.registry"));
        Pusher = new XdsPusher(Store, Registry, Cache, options.Mesh, options.LoggerFactory.CreateLogger("rigging.push"), time);
        Debouncer = new PushDebouncer(options.PushQuietPeriod, options.PushMaxDelay, Pusher.PushAsync, time);
        Writer = new ResourceWriter(Store);
    }

    public SnapshotCache Cache { get; }

    public ConfigStore Store { get; }

    public ProxyRegistry Registry { get; }

    public XdsPusher Pusher { get; }

    public PushDebouncer Debouncer { get; }

    public ResourceWriter Writer { get; }

    public int XdsPort => _xds?.Port ?? 0;

    public int HttpPort { get; private set; }

    public Uri XdsAddress => new($"http://{Host}:{XdsPort}");

    public Uri HttpAddress => new($"http://{Host}:{HttpPort}");

    private string Host => _options.Address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? $"[{_options.Address}]" : _options.Address.ToString();

    public static async Task<ControlPlaneHost> StartAsync(ControlPlaneOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        var host = new ControlPlaneHost(options);
        try
        {
            await host.StartCoreAsync(cancellationToken).ConfigureAwait(false);
            return host;
        }
        catch
        {
            await host.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    private async Task StartCoreAsync(CancellationToken cancellationToken)
    {
        Store.Changed += (_, change) => Debouncer.Enqueue(PushRequest.ForConfig(change.Kinds));
        Registry.Changed += (_, change) =>
        {
            var request = change.ConnectedProxy is { } id ? PushRequest.ForProxy(id) : PushRequest.Empty with { Merged = 0 };
            if (change.InstancesChanged) request = request.Merge(PushRequest.ForEndpoints());
            Debouncer.Enqueue(request);
        };
        Cache.StreamOpened += (_, e) => Registry.StreamOpened(e.Node);
        Cache.StreamClosed += (_, e) => Registry.StreamClosed(e.Node);
        await Store.StartAsync(cancellationToken).ConfigureAwait(false);

        var ads = new AdsServer(Cache, new AdsServerOptions
        {
            Grpc = new GrpcServerOptions { Address = _options.Address, Port = _options.XdsPort, TimeProvider = _options.TimeProvider },
            Logger = _options.LoggerFactory.CreateLogger("rigging.xds"),
        });
        _xds = await ads.StartAsync(cancellationToken).ConfigureAwait(false);
        await StartHttpAsync(cancellationToken).ConfigureAwait(false);
        ControlPlaneLog.Started(_logger, XdsPort, HttpPort, Store.Directory, Store.Snapshot.Resources.Length, Store.Errors.Count);
    }

    private async Task StartHttpAsync(CancellationToken cancellationToken)
    {
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.WebHost.UseKestrelCore();
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Listen(new IPEndPoint(_options.Address, _options.HttpPort), listen => listen.Protocols = HttpProtocols.Http1AndHttp2);
        });
        _http = builder.Build();
        var api = new HttpApi(Store, Writer, Registry, Cache, Pusher);
        _http.Run(api.HandleAsync);
        await _http.StartAsync(cancellationToken).ConfigureAwait(false);
        var addresses = _http.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!;
        HttpPort = new Uri(addresses.Addresses.First()).Port;
    }

    public async ValueTask DisposeAsync()
    {
        if (_http is not null)
        {
            await _http.StopAsync().ConfigureAwait(false);
            await _http.DisposeAsync().ConfigureAwait(false);
        }
        if (_xds is not null) await _xds.DisposeAsync().ConfigureAwait(false);
        await Debouncer.DisposeAsync().ConfigureAwait(false);
        await Store.DisposeAsync().ConfigureAwait(false);
        Registry.Dispose();
    }
}
