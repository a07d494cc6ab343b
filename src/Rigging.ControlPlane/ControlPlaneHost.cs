using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Rigging.ControlPlane.Config;
using Rigging.ControlPlane.Debug;
using Rigging.ControlPlane.Push;
using Rigging.ControlPlane.Registry;
using Rigging.ControlPlane.Security;
using Rigging.Xds.Cache;
using Rigging.Xds.Grpc.Server;
using Rigging.Xds.Server;

namespace Rigging.ControlPlane;

/// <summary>
/// The running control plane (istiod's Pilot part), wired:
/// config store (watched directory) and proxy registry (ADS stream opens/closes) → push requests → debouncer →
/// <see cref="XdsPusher"/> → snapshot cache → ADS server on the xDS port; the HTTP port serves /ready, /metrics,
/// /debug/* and the resources API. With an xDS TLS port, a <see cref="CertificateAuthority"/> is loaded (or created)
/// from the state directory and the TLS port serves ADS and the CA service; the HTTP port then also issues
/// bootstrap tokens to loopback callers.
/// </summary>
public sealed class ControlPlaneHost : IAsyncDisposable
{
    private readonly ControlPlaneOptions _options;
    private readonly ILogger _logger;
    private GrpcServer? _xds;
    private SecureXdsServer? _xdsTls;
    private ServingCertificate? _serving;
    private WebApplication? _http;
    private Config.Secrets.CredentialWatcher? _credentials;

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
        // The SANs clients expect must name the trust domain the CA issues in.
        Pusher = new XdsPusher(Store, Registry, Cache, options.Mesh with { TrustDomain = options.TrustDomain }, options.LoggerFactory.CreateLogger("rigging.push"), time);
        Debouncer = new PushDebouncer(options.PushQuietPeriod, options.PushMaxDelay, Pusher.PushAsync, time, options.PushLeadingEdge);
        Writer = new ResourceWriter(Store);
    }

    public SnapshotCache Cache { get; }

    public ConfigStore Store { get; }

    public ProxyRegistry Registry { get; }

    public XdsPusher Pusher { get; }

    public PushDebouncer Debouncer { get; }

    public ResourceWriter Writer { get; }

    public int XdsPort => _xds?.Port ?? 0;

    /// <summary>The CA, when the xDS TLS port is on.</summary>
    public CertificateAuthority? CertificateAuthority { get; private set; }

    public BootstrapTokens? Tokens { get; private set; }

    /// <summary>The certificate the xDS TLS port presents now.</summary>
    public ServingCertificate? ServingCertificate => _serving;

    public string? StateDirectory { get; private set; }

    public int XdsTlsPort => _xdsTls?.Port ?? 0;

    /// <summary>https://ADDRESS:PORT of the TLS port (ADS and CA), when it is on.</summary>
    public Uri? XdsTlsAddress => _xdsTls is null ? null : new Uri($"https://{Host}:{XdsTlsPort}");

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
        _credentials = new Config.Secrets.CredentialWatcher(Store.Directory, () => Debouncer.Enqueue(PushRequest.ForConfig(["Secret"])), _options.TimeProvider);

        var ads = new AdsServer(Cache, new AdsServerOptions
        {
            Grpc = new GrpcServerOptions { Address = _options.Address, Port = _options.XdsPort, TimeProvider = _options.TimeProvider },
            Logger = _options.LoggerFactory.CreateLogger("rigging.xds"),
        });
        _xds = await ads.StartAsync(cancellationToken).ConfigureAwait(false);
        if (_options.XdsTlsPort is { } tlsPort) await StartSecurityAsync(ads, tlsPort, cancellationToken).ConfigureAwait(false);
        await StartHttpAsync(cancellationToken).ConfigureAwait(false);
        ControlPlaneLog.Started(_logger, XdsPort, HttpPort, Store.Directory, Store.Snapshot.Resources.Length, Store.Errors.Count);
    }

    private async Task StartSecurityAsync(AdsServer ads, int tlsPort, CancellationToken cancellationToken)
    {
        var state = Path.GetFullPath(_options.StateDirectory ?? ControlPlaneOptions.DefaultStateDirectory(_options.ConfigDirectory));
        var config = Path.GetFullPath(_options.ConfigDirectory).TrimEnd(Path.DirectorySeparatorChar) + Path.DirectorySeparatorChar;
        if ((state + Path.DirectorySeparatorChar).StartsWith(config, StringComparison.Ordinal))
            throw new IOException($"--state {state} is inside the watched config directory {config}; choose a directory outside it (keys must never be read as config)");
        StateDirectory = state;
        var logger = _options.LoggerFactory.CreateLogger("rigging.ca");
        var time = _options.TimeProvider;
        CertificateAuthority = CertificateAuthority.Load(new CertificateAuthorityOptions
        {
            StateDirectory = state,
            CaCertsDirectory = _options.CaCertsDirectory,
            TrustDomain = _options.TrustDomain,
            DefaultCertificateTtl = _options.WorkloadCertificateTtl,
            MaxCertificateTtl = _options.WorkloadCertificateTtl,
            TimeProvider = time,
        });
        Tokens = BootstrapTokens.LoadOrCreate(state, time);
        CaLog.Ready(logger, CertificateAuthority.TrustDomain, CertificateAuthority.IsPlugIn ? "plug-in cacerts" : "self-signed root", CertificateAuthority.RootCertificatePath);
        _serving = new ServingCertificate(CertificateAuthority, _options.ServingCertificateTtl, time, logger);
        var registry = ads.Register(new GrpcServiceRegistry(ads.Options.Grpc with { Port = tlsPort }));
        new CertificateService(CertificateAuthority, Tokens, logger).Register(registry);
        _xdsTls = await SecureXdsServer.StartAsync(registry, _serving, _options.Address, tlsPort, cancellationToken).ConfigureAwait(false);
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
        var tokens = Tokens is null ? null : new TokenEndpoint(Tokens);
        _http.Run(context =>
        {
            if (!TokenEndpoint.Handles(context)) return api.HandleAsync(context);
            if (tokens is not null) return tokens.HandleAsync(context);
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            return context.Response.WriteAsync("the CA is off: start the control plane with --xds-tls-port to issue tokens\n");
        });
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
        if (_xdsTls is not null) await _xdsTls.DisposeAsync().ConfigureAwait(false);
        _serving?.Dispose();
        CertificateAuthority?.Dispose();
        _credentials?.Dispose();
        await Debouncer.DisposeAsync().ConfigureAwait(false);
        await Store.DisposeAsync().ConfigureAwait(false);
        Registry.Dispose();
    }
}
