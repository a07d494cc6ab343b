using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Rigging.Proxy.Admin;
using Rigging.Proxy.Clusters;
using Rigging.Proxy.Config;
using Rigging.Proxy.Http;
using Rigging.Proxy.Http.Forwarding;
using Rigging.Proxy.Listeners;
using Rigging.Proxy.Security;
using Rigging.Proxy.Security.Agent;
using Rigging.Proxy.Tcp;
using Rigging.Proxy.Telemetry;
using Rigging.Xds.Cache;
using Rigging.Xds.Client;
using Rigging.Xds.Grpc.Client;

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
        Agent = CreateAgent(options, Secrets, time, random, loggers);
        State.AwaitingCertificate = Agent is not null;
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
            Channel = XdsChannel(options),
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

    /// <summary>The workload certificate agent, when a bootstrap token is configured.</summary>
    public CertificateAgent? Agent { get; }

    public AdminServer? Admin { get; private set; }

    /// <summary>Completes when /quitquitquit asks the proxy to stop.</summary>
    public Task QuitRequested => _quit.Task;

    public static async Task<ProxyHost> StartAsync(ProxyOptions options, TimeProvider? time = null, Random? random = null, ILoggerFactory? loggers = null)
    {
        var host = new ProxyHost(options, time ?? TimeProvider.System, random ?? Random.Shared, loggers ?? NullLoggerFactory.Instance);
        host.Admin = await AdminServer.StartAsync(options.AdminPort, host.State, host.Stats, () => host._quit.TrySetResult()).ConfigureAwait(false);
        ProxyLog.AdminListening(host._logger, host.Admin.Port);
        if (host.Agent is { } agent)
        {
            _ = agent.FirstCertificate.ContinueWith(_ => host.State.AwaitingCertificate = false, CancellationToken.None, TaskContinuationOptions.OnlyOnRanToCompletion, TaskScheduler.Default);
            agent.Start();
        }
        host.Ads.Start();
        return host;
    }

    private static CertificateAgent? CreateAgent(ProxyOptions options, SecretStore secrets, TimeProvider time, Random random, ILoggerFactory loggers)
    {
        if (!options.UsesCertificates) return null;
        var ca = options.EffectiveCaAddress ?? throw new ArgumentException("a bootstrap token is set but no CA: give --ca-address https://HOST:15012 or an https --xds address");
        var root = options.RootCertFile ?? throw new ArgumentException("a bootstrap token is set but no --ca-root-file (the control plane's <state>/root-cert.pem)");
        Func<string> token = options.TokenFile is { } file ? () => File.ReadAllText(file) : () => options.Token!;
        return new CertificateAgent(
            new CertificateAgentOptions
            {
                CaAddress = ca,
                Token = token,
                RootCertFile = root,
                Namespace = options.Namespace,
                ServiceAccount = options.ServiceAccount,
                TrustDomain = options.TrustDomain,
            },
            secrets,
            time,
            random,
            loggers.CreateLogger("Rigging.Proxy.Agent"));
    }

    /// <summary>An https xDS server is verified against the mesh root when one is given (else the system's trust).</summary>
    private static GrpcChannelOptions XdsChannel(ProxyOptions options)
    {
        if (options.RootCertFile is not { } root) return new GrpcChannelOptions();
        return new GrpcChannelOptions { ServerCertificateValidation = RootTrust.Validator(() => RootTrust.Load(root)) };
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
        if (Agent is not null) await Agent.DisposeAsync().ConfigureAwait(false);
        await Listeners.DisposeAsync().ConfigureAwait(false);
        if (Admin is not null) await Admin.DisposeAsync().ConfigureAwait(false);
        Clusters.Dispose();
    }
}
