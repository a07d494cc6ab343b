using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Rigging.Api.Networking;
using Rigging.ControlPlane.Config;
using Rigging.ControlPlane.Config.Secrets;
using Rigging.ControlPlane.Model;
using Rigging.ControlPlane.Registry;
using Rigging.ControlPlane.Translation;
using Rigging.Xds.Cache;

namespace Rigging.ControlPlane.Push;

/// <summary>
/// Turns a debounced <see cref="PushRequest"/> into snapshots:
/// 1. one <see cref="PushContext"/> from the config store's snapshot, the services and instances it defines, and
///    the self-registered instances;
/// 2. proxies are grouped by <see cref="ProxyViewKey"/>: each group is translated once and its one
///    <see cref="Snapshot"/> object is set for all its nodes (serialized once, consistency checked once);
/// 3. per group, the least work that keeps it exact: a config change regenerates it whole; an endpoint-only change
///    regenerates only its ClusterLoadAssignments (<see cref="Snapshot.WithResources"/> keeps the other types and
///    their bytes) — unless instances changed in a way clusters may read (<see cref="InstanceSignatures"/>), then
///    whole; groups that see no changed service are left alone; a proxy that just connected gets its group's
///    snapshot. An inconsistent snapshot is refused and logged; the last good serves.
/// </summary>
public sealed partial class XdsPusher
{
    private readonly ConfigStore _store;
    private readonly ProxyRegistry _registry;
    private readonly SnapshotCache _cache;
    private readonly MeshSettings _mesh;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly Lock _pushLock = new();
    private InstanceSignatures _signatures = InstanceSignatures.Empty;
    private Dictionary<string, Snapshot> _byKey = new(StringComparer.Ordinal);
    private volatile PushContext? _last;
    private readonly CredentialDirectory _credentials;
    private volatile PushStats? _lastStats;

    public XdsPusher(ConfigStore store, ProxyRegistry registry, SnapshotCache cache, MeshSettings? mesh = null, ILogger? logger = null, TimeProvider? time = null)
    {
        _store = store;
        _registry = registry;
        _cache = cache;
        _mesh = mesh ?? MeshSettings.Default;
        _logger = logger ?? NullLogger.Instance;
        _time = time ?? TimeProvider.System;
        _credentials = CredentialDirectory.UnderConfig(store.Directory, _logger);
    }

    public PushMetrics Metrics { get; } = new();

    /// <summary>The context of the last push (for debug pages), or null before the first.</summary>
    public PushContext? LastContext => _last;

    /// <summary>What the last push did and where its time went, or null before the first.</summary>
    public PushStats? LastStats => _lastStats;

    public Task PushAsync(PushRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        lock (_pushLock)
        {
            var start = _time.GetTimestamp();
            var push = BuildContext();
            var routeChange = VirtualServiceChange.Of(request, _last, push);
            HashSet<string> endpointHosts = [], clusterHosts = [];
            // A VirtualService change reads no instance (the request says none changed): the signatures stand.
            if (routeChange is null)
            {
                var signatures = InstanceSignatures.Of(push);
                (endpointHosts, clusterHosts) = signatures.ChangedSince(_signatures);
                _signatures = signatures;
            }
            // Routes are not rebuilt by a push that changed no config: the problems found building them still hold.
            if (!request.Full && _last is { } previous)
            {
                foreach (var (key, message) in previous.Issues) push.Issues.TryAdd(key, message);
            }
            else if (routeChange is not null)
            {
                RouteRefresh.CarryIssues(_last!.Issues, push.Issues, routeChange.Unchanged);
            }
            var contextDone = _time.GetTimestamp();

            var groups = Group(push);
            var stats = new PushStats { Request = request.ToString(), Views = groups.Count };
            var next = new Dictionary<string, Snapshot>(StringComparer.Ordinal);
            long setting = 0;
            // Views are translated in parallel (translation is pure); their snapshots are then set in group order.
            var generateStart = _time.GetTimestamp();
            var outcomes = TranslateGroups(request, groups, push, endpointHosts, clusterHosts, routeChange, cancellationToken);
            var generating = _time.GetTimestamp() - generateStart;
            foreach (var (key, group, work, snapshot) in outcomes)
            {
                if (work == Work.Full) stats.FullGenerations++;
                if (work == Work.Endpoints) stats.EndpointGenerations++;
                if (work == Work.Routes) stats.RouteGenerations++;
                if (snapshot is null) continue; // failed: logged; its proxies keep what they had and the next push retries whole
                if (work != Work.None && snapshot.CheckConsistency() is { Count: > 0 } errors) // computed once, by TranslateGroups
                {
                    // Checked once for the group (the cache would refuse it per node): the last good keeps serving.
                    PushLog.Refused(_logger, Describe(group), string.Join("; ", errors));
                    stats.Refused += group.Nodes.Count;
                    continue;
                }
                next[key] = snapshot;
                if (work == Work.None) continue;

                var setStart = _time.GetTimestamp();
                foreach (var nodeId in group.Nodes)
                {
                    if (work == Work.Reuse && !request.Proxies.Contains(nodeId)) continue;
                    stats.Proxies++;
                    _cache.SetSnapshot(nodeId, snapshot);
                }
                setting += _time.GetTimestamp() - setStart;
            }
            _byKey = next;
            _last = push;

            var elapsed = _time.GetElapsedTime(start);
            stats.StartedTimestamp = start;
            stats.FinishedTimestamp = _time.GetTimestamp();
            stats.ContextMilliseconds = _time.GetElapsedTime(start, contextDone).TotalMilliseconds;
            stats.GenerateMilliseconds = Milliseconds(generating);
            stats.SetMilliseconds = Milliseconds(setting);
            stats.TotalMilliseconds = elapsed.TotalMilliseconds;
            _lastStats = stats;
            Metrics.Record(elapsed, request.Full, stats.Proxies, stats.Refused, stats.FullGenerations, stats.EndpointGenerations);
            PushLog.Pushed(_logger, stats.Request, stats.Proxies, stats.Views, stats.FullGenerations, stats.EndpointGenerations, elapsed.TotalMilliseconds, request.Merged);
        }
        return Task.CompletedTask;
    }

    public PushContext BuildContext()
    {
        var config = _store.Snapshot.Resources;
        var services = ServiceDiscovery.Services(config).ToList();
        var instances = ServiceDiscovery.Instances(config).Concat(_registry.Instances).ToList();
        return new PushContext(config, services, instances, _mesh) { Credentials = _credentials.Load() };
    }

    /// <summary>A proxy announced as a sidecar is a gateway when a Gateway resource's selector picks its labels.</summary>
    public static ProxyView Classify(ProxyView view, PushContext push)
    {
        ArgumentNullException.ThrowIfNull(view);
        ArgumentNullException.ThrowIfNull(push);
        if (view.Kind != ProxyKind.Sidecar) return view;
        foreach (var resource in push.Gateways)
        {
            if (resource.Spec is Gateway { Selector: { Count: > 0 } selector } && view.Matches(selector))
                return view with { Kind = ProxyKind.Gateway };
        }
        return view;
    }

    private double Milliseconds(long ticks) => ticks * 1000.0 / _time.TimestampFrequency;
}
