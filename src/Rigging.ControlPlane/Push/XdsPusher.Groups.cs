using Envoy.Config.Endpoint.V3;
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
        HashSet<string> endpointHosts, HashSet<string> clusterHosts, CancellationToken cancellationToken)
    {
        var ordered = groups.ToArray();
        var outcomes = new Outcome[ordered.Length];
        var options = new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount, CancellationToken = cancellationToken };
        Parallel.For(0, ordered.Length, options, i =>
        {
            var (key, group) = ordered[i];
            var previous = _byKey.GetValueOrDefault(key);
            var work = Decide(request, group, previous, push, endpointHosts, clusterHosts);
            var snapshot = work switch
            {
                Work.Full => Generate(group.View, push),
                Work.Endpoints => GenerateEndpoints(group.View, push, previous!),
                _ => previous,
            };
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
        foreach (var node in group.Nodes)
        {
            if (request.Proxies.Contains(node)) return Work.Reuse;
        }
        return Work.None;
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

    /// <summary>The group's previous snapshot with ClusterLoadAssignments from this push (the same generator a full push uses).</summary>
    private Snapshot? GenerateEndpoints(ProxyView view, PushContext push, Snapshot previous)
    {
        try
        {
            var services = Visibility.ServicesFor(view, push).ToList();
            IEnumerable<IMessage> assignments = EndpointGenerator.Outbound(view, push, services).Cast<ClusterLoadAssignment>();
            return previous.WithResources(TypeUrls.ClusterLoadAssignment, assignments);
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
