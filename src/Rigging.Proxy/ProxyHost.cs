using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Rigging.Proxy.Admin;
using Rigging.Proxy.Clusters;
using Rigging.Proxy.Config;
using Rigging.Proxy.Http;
using Rigging.Proxy.Http.Forwarding;
using Rigging.Proxy.Listeners;
using Rigging.Proxy.Security;
using Rigging.Proxy.Tcp;
using Rigging.Proxy.Telemetry;
using Rigging.Xds.Cache;
using Rigging.Xds.Client;

namespace Rigging.Proxy;

/// <summary>
/// A running proxy: the ADS client feeding <see cref="ConfigApplier"/>, the listeners it binds, the clusters it
/// balances over, and the admin endpoints. Stops gracefully: listeners drain, then it waits the drain duration.
/// </summary>
public sealed class ProxyHost : IAsyncDisposable
{
    private readonly ProxyOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly TaskCompletionSource _quit = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private IReadOnlyList<string> _edsNames = [];
    private IReadOnlyList<string> _rdsNames = [];
    private Task? _stopping;

    private ProxyHost(ProxyOptions options, TimeProvider time, Random random, ILoggerFactory loggers)
    {
        _options = options;
        _time = time;
        _logger = loggers.CreateLogger("Rigging.Proxy");
        State = new ProxyState();
        Stats = new ProxyStats(time, options.AccessLog ? new AccessLog(loggers.CreateLogger(AccessLog.Category)) : null);
        Secrets = new SecretStore();
        Clusters = new ClusterRegistry(random, time, Secrets, Stats);
        var services = new ProxyServices(
            State,
            new HttpProxyHandler(State, new HttpForwarder(random, time), Stats, random, time),
            new TcpProxyHandler(State, Stats, random, time),
            Stats,
            new ProxyLimits { DrainTime = options.DrainDuration }) { Secrets = Secrets, Time = time };
        Listeners = new ListenerManager(services);
        Applier = new ConfigApplier(State, Clusters, Listeners, Stats, time, _logger, Secrets);
        Applier.DependenciesChanged += OnDependenciesChanged;
        Ads = new AdsClient(new AdsClientOptions
        {
            Address = options.Xds,
            Node = NodeIdentity.Create(options),
            Subscriptions = new Dictionary<string, IReadOnlyList<string>>
            {
                [TypeUrls.Cluster] = [],
                [TypeUrls.Listener] = [],
            },
            ApplyAsync = update => new ValueTask<ApplyResult>(Applier.ApplyAsync(update)),
            TimeProvider = time,
            Random = random,
            Logger = loggers.CreateLogger("Rigging.Proxy.Xds"),
        });
        Applier.SecretDependenciesChanged += new SdsSubscription(Secrets, Ads).Update;
    }

    public ProxyOptions Options => _options;

    public ProxyState State { get; }

    public ProxyStats Stats { get; }

    public ClusterRegistry Clusters { get; }

    /// <summary>Certificates and trust bundles by SDS name (the workload's own from its agent, others over ADS).</summary>
    public SecretStore Secrets { get; }

    public ListenerManager Listeners { get; }

    public ConfigApplier Applier { get; }

    public AdsClient Ads { get; }

    public AdminServer? Admin { get; private set; }

    /// <summary>Completes when /quitquitquit asks the proxy to stop.</summary>
    public Task QuitRequested => _quit.Task;

    public static async Task<ProxyHost> StartAsync(ProxyOptions options, TimeProvider? time = null, Random? random = null, ILoggerFactory? loggers = null)
    {
        var host = new ProxyHost(options, time ?? TimeProvider.System, random ?? Random.Shared, loggers ?? NullLoggerFactory.Instance);
        host.Admin = await AdminServer.StartAsync(options.AdminPort, host.State, host.Stats, () => host._quit.TrySetResult()).ConfigureAwait(false);
        ProxyLog.AdminListening(host._logger, host.Admin.Port);
        host.Ads.Start();
        return host;
    }

    private void OnDependenciesChanged(IReadOnlyList<string> eds, IReadOnlyList<string> rds)
    {
        // An empty list would subscribe to every resource (a wildcard), so only real names are sent.
        if (eds.Count > 0 && !eds.SequenceEqual(_edsNames))
        {
            _edsNames = eds;
            _ = Ads.SubscribeAsync(TypeUrls.ClusterLoadAssignment, eds);
        }
        if (rds.Count > 0 && !rds.SequenceEqual(_rdsNames))
        {
            _rdsNames = rds;
            _ = Ads.SubscribeAsync(TypeUrls.RouteConfiguration, rds);
        }
    }

    /// <summary>
    /// Graceful stop, as Istio's agent does on SIGTERM: /ready turns to DRAINING, listeners stop accepting and let
    /// requests in flight finish, and the proxy waits the whole drain duration (terminationDrainDuration) before
    /// returning, so peers see it leave before its sockets close. Idempotent.
    /// </summary>
    public Task StopAsync()
    {
        lock (_quit)
        {
            return _stopping ??= DrainAsync();
        }
    }

    private async Task DrainAsync()
    {
        State.Draining = true;
        ProxyLog.Draining(_logger, (long)_options.DrainDuration.TotalMilliseconds);
        var wait = Task.Delay(_options.DrainDuration, _time);
        await Listeners.DrainAllAsync(_options.DrainDuration).ConfigureAwait(false);
        await wait.ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        await Ads.DisposeAsync().ConfigureAwait(false);
        await Listeners.DisposeAsync().ConfigureAwait(false);
        if (Admin is not null) await Admin.DisposeAsync().ConfigureAwait(false);
        Clusters.Dispose();
    }
}
