using System.Globalization;
using System.Text;
using Rigging.ControlPlane.Model;
using Rigging.ControlPlane.Translation;

namespace Rigging.ControlPlane.Push;

/// <summary>
/// Per service host, two strings that change when its instances change:
/// <see cref="Endpoints"/> covers every field of every instance (what ClusterLoadAssignments are made of);
/// <see cref="Clusters"/> covers only what clusters may read of instances — namespace, service account, labels,
/// whether it has a sidecar, whether it registered itself — because auto mTLS and SAN lists derive from those.
/// The safe rule of an endpoint-only push: a host whose <see cref="Clusters"/> string changed is regenerated whole
/// for the proxies that see it; a host where only <see cref="Endpoints"/> changed gets new ClusterLoadAssignments
/// and every other type is reused. A new WorkloadInstance field must be placed in one of the two (a test fails
/// when one appears unplaced).
/// </summary>
public sealed class InstanceSignatures
{
    /// <summary>WorkloadInstance properties that only ClusterLoadAssignments read.</summary>
    public static IReadOnlySet<string> EndpointOnlyFields { get; } =
        new HashSet<string>(["Name", "Address", "Ports", "Weight", "Locality"], StringComparer.Ordinal);

    /// <summary>WorkloadInstance properties clusters may read (a change regenerates every type).</summary>
    public static IReadOnlySet<string> ClusterFields { get; } =
        new HashSet<string>(["Namespace", "Labels", "ServiceAccount", "InboundPort", "NodeId"], StringComparer.Ordinal);

    private readonly Dictionary<string, (string Endpoints, string Clusters)> _byHost;

    private InstanceSignatures(Dictionary<string, (string, string)> byHost) => _byHost = byHost;

    public static InstanceSignatures Empty { get; } = new(new Dictionary<string, (string, string)>(StringComparer.OrdinalIgnoreCase));

    public static InstanceSignatures Of(PushContext push)
    {
        ArgumentNullException.ThrowIfNull(push);
        var byHost = new Dictionary<string, (string, string)>(StringComparer.OrdinalIgnoreCase);
        var endpoints = new List<string>();
        var clusters = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var service in push.Services)
        {
            endpoints.Clear();
            clusters.Clear();
            foreach (var instance in push.InstancesOf(service))
            {
                var cluster = ClusterPart(instance);
                clusters.Add(cluster);
                endpoints.Add(EndpointPart(instance) + cluster);
            }
            endpoints.Sort(StringComparer.Ordinal);
            byHost[service.Hostname] = (string.Join('\n', endpoints), string.Join('\n', clusters));
        }
        return new InstanceSignatures(byHost);
    }

    /// <summary>Hosts whose endpoints changed since <paramref name="previous"/>, and among them those whose clusters may have.</summary>
    public (HashSet<string> Endpoints, HashSet<string> Clusters) ChangedSince(InstanceSignatures previous)
    {
        ArgumentNullException.ThrowIfNull(previous);
        var endpoints = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var clusters = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (host, now) in _byHost)
        {
            if (!previous._byHost.TryGetValue(host, out var before))
            {
                endpoints.Add(host);
                clusters.Add(host);
                continue;
            }
            if (before.Endpoints != now.Endpoints) endpoints.Add(host);
            if (before.Clusters != now.Clusters) clusters.Add(host);
        }
        foreach (var host in previous._byHost.Keys)
        {
            if (_byHost.ContainsKey(host)) continue;
            endpoints.Add(host);
            clusters.Add(host);
        }
        return (endpoints, clusters);
    }

    private static string EndpointPart(WorkloadInstance i)
    {
        var sb = new StringBuilder();
        Field(sb, i.Name);
        Field(sb, i.Address);
        Field(sb, i.Weight.ToString(CultureInfo.InvariantCulture));
        Field(sb, i.Locality);
        Field(sb, i.NodeId ?? "-");
        foreach (var (name, port) in i.Ports.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            Field(sb, name);
            Field(sb, port.ToString(CultureInfo.InvariantCulture));
        }
        return sb.ToString();
    }

    private static string ClusterPart(WorkloadInstance i)
    {
        var sb = new StringBuilder();
        Field(sb, i.Namespace);
        Field(sb, i.ServiceAccount);
        Field(sb, i.InboundPort is { } p ? p.ToString(CultureInfo.InvariantCulture) : "-");
        Field(sb, i.NodeId is null ? "-" : "self-registered"); // which proxy it is only matters to endpoints
        foreach (var (key, value) in i.Labels.OrderBy(l => l.Key, StringComparer.Ordinal))
        {
            Field(sb, key);
            Field(sb, value);
        }
        return sb.ToString();
    }

    private static void Field(StringBuilder sb, string value) =>
        sb.Append(value.Length.ToString(CultureInfo.InvariantCulture)).Append(':').Append(value).Append('|');
}
