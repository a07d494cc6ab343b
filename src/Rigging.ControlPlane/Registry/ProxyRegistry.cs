using System.Collections.Immutable;
using Envoy.Config.Core.V3;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Rigging.ControlPlane.Model;

namespace Rigging.ControlPlane.Registry;

/// <summary>
/// Self-registration (Istio's WorkloadGroup auto-registration without the ceremony): a proxy's ADS stream makes it
/// known, and a proxy fronting a workload becomes a <see cref="WorkloadInstance"/>. When its last stream closes the
/// proxy stays for <see cref="GracePeriod"/> (a reconnect keeps it), then it and its instance are removed.
/// State is immutable and swapped under a lock; <see cref="Changed"/> is raised outside it.
/// </summary>
public sealed class ProxyRegistry : IDisposable
{
    private readonly Lock _lock = new();
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Dictionary<string, ITimer> _expiries = new(StringComparer.Ordinal);
    private ImmutableDictionary<string, ConnectedProxy> _proxies = ImmutableDictionary.Create<string, ConnectedProxy>(StringComparer.Ordinal);
    private ImmutableArray<WorkloadInstance> _instances = [];

    public ProxyRegistry(TimeSpan gracePeriod, TimeProvider? time = null, ILogger? logger = null)
    {
        GracePeriod = gracePeriod;
        _time = time ?? TimeProvider.System;
        _logger = logger ?? NullLogger.Instance;
    }

    public TimeSpan GracePeriod { get; }

    /// <summary>Raised after a proxy connected or an instance came or went; handlers must not block.</summary>
    public event EventHandler<RegistryChange>? Changed;

    /// <summary>Every proxy known (connected, or disconnected within the grace period), by node id.</summary>
    public ImmutableDictionary<string, ConnectedProxy> Proxies => Volatile.Read(ref _proxies);

    /// <summary>The instances of registered proxies.</summary>
    public ImmutableArray<WorkloadInstance> Instances
    {
        get
        {
            lock (_lock)
            {
                return _instances;
            }
        }
    }

    public int ConnectedCount => Proxies.Values.Count(p => p.Streams > 0);

    public void StreamOpened(Node node)
    {
        ArgumentNullException.ThrowIfNull(node);
        var view = NodeMetadata.ToProxyView(node);
        var instance = NodeMetadata.ToInstance(node, view);
        bool instancesChanged;
        lock (_lock)
        {
            if (_expiries.Remove(node.Id, out var timer)) timer.Dispose();
            var previous = _proxies.GetValueOrDefault(node.Id);
            var streams = (previous?.Streams ?? 0) + 1;
            instancesChanged = previous?.Instance != instance;
            _proxies = _proxies.SetItem(node.Id, new ConnectedProxy(view, instance, streams, null));
            if (instancesChanged) RebuildInstances();
        }
        RegistryLog.ProxyConnected(_logger, node.Id, view.Kind, view.Namespace, instance?.Address ?? "-");
        Changed?.Invoke(this, new RegistryChange(node.Id, instancesChanged));
    }

    public void StreamClosed(Node node)
    {
        ArgumentNullException.ThrowIfNull(node);
        lock (_lock)
        {
            if (!_proxies.TryGetValue(node.Id, out var proxy)) return;
            var streams = Math.Max(0, proxy.Streams - 1);
            _proxies = _proxies.SetItem(node.Id, proxy with { Streams = streams, DisconnectedAt = streams == 0 ? _time.GetUtcNow() : null });
            if (streams > 0) return;
            if (_expiries.Remove(node.Id, out var old)) old.Dispose();
            _expiries[node.Id] = _time.CreateTimer(_ => Expire(node.Id), null, GracePeriod, Timeout.InfiniteTimeSpan);
        }
        RegistryLog.ProxyDisconnected(_logger, node.Id, GracePeriod.TotalSeconds);
    }

    private void Expire(string nodeId)
    {
        bool hadInstance;
        lock (_lock)
        {
            if (!_proxies.TryGetValue(nodeId, out var proxy) || proxy.Streams > 0) return;
            if (_expiries.Remove(nodeId, out var timer)) timer.Dispose();
            _proxies = _proxies.Remove(nodeId);
            hadInstance = proxy.Instance is not null;
            if (hadInstance) RebuildInstances();
        }
        RegistryLog.ProxyRemoved(_logger, nodeId);
        if (hadInstance) Changed?.Invoke(this, new RegistryChange(null, true));
    }

    private void RebuildInstances()
    {
        var builder = ImmutableArray.CreateBuilder<WorkloadInstance>();
        foreach (var proxy in _proxies.Values.OrderBy(p => p.View.NodeId, StringComparer.Ordinal))
        {
            if (proxy.Instance is { } instance) builder.Add(instance);
        }
        _instances = builder.ToImmutable();
    }

    public void Dispose()
    {
        lock (_lock)
        {
            foreach (var timer in _expiries.Values) timer.Dispose();
            _expiries.Clear();
        }
    }
}
