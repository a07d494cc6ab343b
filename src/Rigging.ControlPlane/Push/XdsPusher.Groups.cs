using Envoy.Config.Endpoint.V3;
using Envoy.Config.Route.V3;
using Google.Protobuf;
using Rigging.ControlPlane.Model;
using Rigging.ControlPlane.Translation;
using Rigging.Xds.Cache;

namespace Rigging.ControlPlane.Push;

/// <summary>Grouping proxies by view, deciding each group's work, and generating its snapshot.</summary>
public sealed partial class XdsPusher
{
    private enum Work
    {
        /// <summary>Nothing it sees changed: its proxies keep their snapshot.</summary>
        None,

        /// <summary>Only new proxies of the group need the group's current snapshot.</summary>
        Reuse,

        /// <summary>New ClusterLoadAssignments; every other type from the group's previous snapshot.</summary>
        Endpoints,

        /// <summary>A VirtualService change: the touched virtual hosts of its route table; everything else kept.</summary>
        Routes,

        /// <summary>Translate everything.</summary>
        Full,
    }

    private sealed class ViewGroup(ProxyView view)
    {
        public ProxyView View { get; } = view;

        public List<string> Nodes { get; } = [];
    }

    /// <summary>Proxies by view key, in a stable order (the first proxy's view stands for the group: keys are equal).</summary>
    private SortedDictionary<string, ViewGroup> Group(PushContext push)
    {
        var groups = new SortedDictionary<string, ViewGroup>(StringComparer.Ordinal);
        foreach (var proxy in _registry.Proxies.Values)
        {
            var view = Classify(proxy.View, push);
            var key = ProxyViewKey.Of(view);
            if (!groups.TryGetValue(key, out var group)) groups[key] = group = new ViewGroup(view);
            group.Nodes.Add(view.NodeId);
        }
        return groups;
    }

    private readonly record struct Outcome(string Key, ViewGroup Group, Work Work, Snapshot? Snapshot);

    /// <summary>
    /// Each group's work and snapshot, in group order, computed on up to one thread per core: translation reads
    /// only the immutable push context (whose indexes are built once, thread-safe) and records problems in its
    /// concurrent Issues. Consistency is checked here too (Snapshot memoizes it), off the setting loop.
    /// </summary>
    private Outcome[] TranslateGroups(PushRequest request, SortedDictionary<string, ViewGroup> groups, PushContext push,
        HashSet<string> endpointHosts, HashSet<string> clusterHosts, VirtualServiceChange? routeChange, CancellationToken cancellationToken)
    {
        var ordered = groups.ToArray();
        var outcomes = new Outcome[ordered.Length];
        var options = new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount, CancellationToken = cancellationToken };
        Parallel.For(0, ordered.Length, options, i =>
        {
            var (key, group) = ordered[i];
            var previous = _byKey.GetValueOrDefault(key);
            var work = routeChange is not null && previous is not null && group.View.Kind == ProxyKind.Sidecar
                ? Work.Routes
                : Decide(request, group, previous, push, endpointHosts, clusterHosts);
            var snapshot = work switch
            {
                Work.Full => Generate(group.View, push),
                Work.Endpoints => GenerateEndpoints(group.View, push, previous!, endpointHosts),
                Work.Routes => RefreshRoutes(group.View, push, previous!, routeChange!),
                _ => previous,
            };
            // A route table the change does not touch: the group keeps its snapshot (new proxies still get it).
            if (work == Work.Routes && ReferenceEquals(snapshot, previous)) work = HasNewProxy(request, group) ? Work.Reuse : Work.None;
            if (work != Work.None) snapshot?.CheckConsistency();
            outcomes[i] = new Outcome(key, group, work, snapshot);
        });
        return outcomes;
    }

    private static Work Decide(PushRequest request, ViewGroup group, Snapshot? previous, PushContext push, HashSet<string> endpointHosts, HashSet<string> clusterHosts)
    {
        if (request.Full || previous is null) return Work.Full;
        var endpoints = false;
        if (request.EndpointsChanged && endpointHosts.Count > 0)
        {
            foreach (var service in Visibility.ServicesFor(group.View, push))
            {
                if (clusterHosts.Contains(service.Hostname)) return Work.Full;
                if (endpointHosts.Contains(service.Hostname)) endpoints = true;
            }
        }
        if (endpoints) return Work.Endpoints;
        return HasNewProxy(request, group) ? Work.Reuse : Work.None;
    }

    private static bool HasNewProxy(PushRequest request, ViewGroup group)
    {
        foreach (var node in group.Nodes)
        {
            if (request.Proxies.Contains(node)) return true;
        }
        return false;
    }

    private Snapshot? Generate(ProxyView view, PushContext push)
    {
        try
        {
            return Snapshot.Create(ProxyGenerator.Generate(view, push));
        }
#pragma warning disable CA1031 // one view's failure must not stop the push for the others
        catch (Exception ex)
#pragma warning restore CA1031
        {
            PushLog.Failed(_logger, view.NodeId, ex);
            return null;
        }
    }

    /// <summary>
    /// The group's previous snapshot with the load assignments of the services whose endpoints changed rebuilt;
    /// the others keep their objects and serialized bytes. Cluster names did not change (that push is full), so
    /// every rebuilt assignment replaces one of the same name. The generator is the one a full push uses.
    /// </summary>
    private Snapshot? GenerateEndpoints(ProxyView view, PushContext push, Snapshot previous, HashSet<string> endpointHosts)
    {
        try
        {
            var changed = Visibility.ServicesFor(view, push).Where(s => endpointHosts.Contains(s.Hostname));
            return previous.WithReplaced(TypeUrls.ClusterLoadAssignment, EndpointGenerator.Outbound(view, push, changed));
        }
#pragma warning disable CA1031 // as above
        catch (Exception ex)
#pragma warning restore CA1031
        {
            PushLog.Failed(_logger, view.NodeId, ex);
            return null;
        }
    }

    /// <summary>
    /// The group's previous snapshot with its outbound route table refreshed for a VirtualService change (see
    /// <see cref="RouteRefresh"/>); translated whole when the previous table does not line up or another route
    /// table holds a touched virtual host.
    /// </summary>
    private Snapshot? RefreshRoutes(ProxyView view, PushContext push, Snapshot previous, VirtualServiceChange change)
    {
        try
        {
            var name = (view.OutboundPort ?? push.Mesh.DefaultOutboundPort).ToString(System.Globalization.CultureInfo.InvariantCulture);
            var tables = previous.Get(TypeUrls.RouteConfiguration).Resources;
            if (!tables.TryGetValue(name, out var outbound)) return Generate(view, push);
            foreach (var (other, cached) in tables)
            {
                if (other != name && ((RouteConfiguration)cached.Message).VirtualHosts.Any(v => change.Touched.Contains(v.Name))) return Generate(view, push);
            }
            var clusters = previous.Get(TypeUrls.Cluster).Resources;
            var table = RouteRefresh.Outbound(view, push, (RouteConfiguration)outbound.Message, change.Touched, clusters.ContainsKey);
            if (table is null) return Generate(view, push);
            return ReferenceEquals(table, outbound.Message) ? previous : previous.WithReplaced(TypeUrls.RouteConfiguration, [table]);
        }
#pragma warning disable CA1031 // as above
        catch (Exception ex)
#pragma warning restore CA1031
        {
            PushLog.Failed(_logger, view.NodeId, ex);
            return null;
        }
    }

    private static string Describe(ViewGroup group) =>
        group.Nodes.Count == 1 ? group.Nodes[0] : $"{group.Nodes[0]} and {group.Nodes.Count - 1} proxies with the same view";
}
