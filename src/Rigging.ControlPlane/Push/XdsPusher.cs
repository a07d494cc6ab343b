using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Rigging.Api.Networking;
using Rigging.ControlPlane.Config;
using Rigging.ControlPlane.Model;
using Rigging.ControlPlane.Registry;
using Rigging.ControlPlane.Translation;
using Rigging.Xds.Cache;

namespace Rigging.ControlPlane.Push;

/// <summary>
/// Turns a debounced <see cref="PushRequest"/> into snapshots:
/// 1. one <see cref="PushContext"/> from the config store's snapshot, the services and instances it defines, and
///    the self-registered instances;
/// 2. the proxies affected: every known proxy for a config change; for an endpoint-only change, only those that see
///    a service whose endpoints differ from the last push; plus proxies that just connected;
/// 3. for each, <see cref="ProxyGenerator.Generate"/> → <see cref="Snapshot.Create(IEnumerable{Google.Protobuf.IMessage})"/>
///    → <see cref="SnapshotCache.SetSnapshot"/> (an inconsistent snapshot is refused and logged; the last good serves).
/// </summary>
public sealed class XdsPusher
{
    private readonly ConfigStore _store;
    private readonly ProxyRegistry _registry;
    private readonly SnapshotCache _cache;
    private readonly MeshSettings _mesh;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly Lock _pushLock = new();
    private Dictionary<string, string> _endpointSignatures = new(StringComparer.OrdinalIgnoreCase);
    private volatile PushContext? _last;

    public XdsPusher(ConfigStore store, ProxyRegistry registry, SnapshotCache cache, MeshSettings? mesh = null, ILogger? logger = null, TimeProvider? time = null)
    {
        _store = store;
        _registry = registry;
        _cache = cache;
        _mesh = mesh ?? MeshSettings.Default;
        _logger = logger ?? NullLogger.Instance;
        _time = time ?? TimeProvider.System;
    }

    public PushMetrics Metrics { get; } = new();

    /// <summary>The context of the last push (for debug pages), or null before the first.</summary>
    public PushContext? LastContext => _last;

    public Task PushAsync(PushRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        lock (_pushLock)
        {
            var start = _time.GetTimestamp();
            var push = BuildContext();
            var signatures = EndpointSignatures(push);
            var changedHosts = signatures.Where(kv => !_endpointSignatures.TryGetValue(kv.Key, out var old) || old != kv.Value).Select(kv => kv.Key)
                .Concat(_endpointSignatures.Keys.Where(k => !signatures.ContainsKey(k)))
                .ToHashSet(StringComparer.OrdinalIgnoreCase);
            _endpointSignatures = signatures;

            int updated = 0, refused = 0;
            foreach (var proxy in _registry.Proxies.Values)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var view = Classify(proxy.View, push);
                if (!Affected(request, view, push, changedHosts)) continue;
                updated++;
                if (!SetSnapshot(view, push)) refused++;
            }
            _last = push;
            var elapsed = _time.GetElapsedTime(start);
            Metrics.Record(elapsed, request.Full, updated, refused);
            PushLog.Pushed(_logger, request.ToString(), updated, elapsed.TotalMilliseconds, request.Merged);
        }
        return Task.CompletedTask;
    }

    public PushContext BuildContext()
    {
        var config = _store.Snapshot.Resources;
        var services = ServiceDiscovery.Services(config).ToList();
        var instances = ServiceDiscovery.Instances(config).Concat(_registry.Instances).ToList();
        return new PushContext(config, services, instances, _mesh);
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

    private static bool Affected(PushRequest request, ProxyView view, PushContext push, HashSet<string> changedHosts)
    {
        if (request.Full || request.Proxies.Contains(view.NodeId)) return true;
        if (!request.EndpointsChanged || changedHosts.Count == 0) return false;
        foreach (var service in Visibility.ServicesFor(view, push))
        {
            if (changedHosts.Contains(service.Hostname)) return true;
        }
        return false;
    }

    private bool SetSnapshot(ProxyView view, PushContext push)
    {
        try
        {
            var snapshot = Snapshot.Create(ProxyGenerator.Generate(view, push));
            var result = _cache.SetSnapshot(view.NodeId, snapshot);
            if (result.Applied) return true;
            PushLog.Refused(_logger, view.NodeId, string.Join("; ", result.Errors));
            return false;
        }
#pragma warning disable CA1031 // one proxy's failure must not stop the push for the others
        catch (Exception ex)
#pragma warning restore CA1031
        {
            PushLog.Failed(_logger, view.NodeId, ex);
            return false;
        }
    }

    /// <summary>Per service host, a string that changes when the set of its endpoints (address, port, labels) changes.</summary>
    private static Dictionary<string, string> EndpointSignatures(PushContext push)
    {
        var result = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var service in push.Services)
        {
            var parts = push.InstancesOf(service)
                .Select(i => $"{i.Address}:{i.InboundPort}:{i.Weight}:{string.Join(',', i.Labels.OrderBy(l => l.Key, StringComparer.Ordinal).Select(l => l.Key + "=" + l.Value))}")
                .Order(StringComparer.Ordinal);
            result[service.Hostname] = string.Join('|', parts);
        }
        return result;
    }
}
