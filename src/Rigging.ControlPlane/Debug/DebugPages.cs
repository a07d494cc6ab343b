using Rigging.ControlPlane.Config;
using Rigging.ControlPlane.Registry;
using Rigging.ControlPlane.Translation;
using Rigging.Xds.Cache;

namespace Rigging.ControlPlane.Debug;

/// <summary>The objects behind the JSON debug pages.</summary>
internal static class DebugPages
{
    /// <summary>Per proxy and type: sent, ACKed and NACKed versions, and the NACK's message.</summary>
    public static object Syncz(SnapshotCache cache, ProxyRegistry registry)
    {
        var proxies = registry.Proxies;
        return cache.GetStatuses().OrderBy(s => s.NodeId, StringComparer.Ordinal).Select(s => new
        {
            proxy = s.NodeId,
            kind = proxies.TryGetValue(s.NodeId, out var p) ? p.View.Kind.ToString() : null,
            connectedStreams = s.ConnectedStreams,
            lastSeen = s.LastSeen,
            nacks = s.Nacks,
            types = TypeUrls.ResponseOrder.Where(t => s.Types.ContainsKey(t)).Select(t => s.Types[t]).Select(t => new
            {
                type = TypeUrls.ShortName(t.TypeUrl),
                sent = t.SentVersion,
                sentAt = t.SentAt,
                acked = t.AckedVersion,
                ackedAt = t.AckedAt,
                nacked = t.NackedVersion,
                nackMessage = t.NackError,
                status = t.NackedVersion is not null && t.NackedVersion == t.SentVersion ? "NACKED" : t.SentVersion is null ? "NOT SENT" : t.SentVersion == t.AckedVersion ? "SYNCED" : "STALE",
            }),
        }).ToList();
    }

    public static object Registryz(PushContext push, ProxyRegistry registry) => new
    {
        services = push.Services.Select(s => new
        {
            hostname = s.Hostname,
            @namespace = s.Namespace,
            ports = s.Ports.Select(p => new { name = p.Name, port = p.Port, protocol = p.Protocol.ToString(), targetPort = p.TargetPort }),
            selector = s.Selector,
            resolution = s.Resolution,
            source = s.Source,
            endpoints = push.InstancesOf(s).Select(i => i.InboundPort is { } port ? $"{i.Address}:{port}" : i.Address),
        }),
        instances = push.Instances.Select(i => new
        {
            name = i.Name,
            @namespace = i.Namespace,
            address = i.Address,
            labels = i.Labels,
            serviceAccount = i.ServiceAccount,
            inboundPort = i.InboundPort,
            proxy = i.NodeId,
        }),
        proxies = registry.Proxies.Values.OrderBy(p => p.View.NodeId, StringComparer.Ordinal).Select(p => new
        {
            proxy = p.View.NodeId,
            kind = p.View.Kind.ToString(),
            @namespace = p.View.Namespace,
            workload = p.View.Workload,
            address = p.View.Address,
            streams = p.Streams,
            disconnectedAt = p.DisconnectedAt,
        }),
    };

    public static object ConfigErrors(ConfigStore store, PushContext? push) => new
    {
        files = store.Errors.Select(e => new
        {
            file = e.File,
            at = e.At,
            messages = e.Messages.Select(d => d.ToString()),
            diagnostics = e.Messages,
        }),
        translation = push?.Issues.OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => new { key = kv.Key, message = kv.Value }) ?? [],
    };
}
