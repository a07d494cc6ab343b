using System.Globalization;
using System.Text;
using Rigging.ControlPlane.Model;

namespace Rigging.ControlPlane.Push;

/// <summary>
/// Proxies whose views are equal in everything translation can read get the same resources, so they share one
/// generation and one snapshot. The key holds every <see cref="ProxyView"/> field except those translation never
/// reads and that differ per replica: <see cref="ProxyView.NodeId"/>, <see cref="ProxyView.Address"/> and
/// <see cref="ProxyView.Workload"/> (a test generates per proxy and per key and compares bytes, and another fails
/// when ProxyView gains a field this key does not name). Labels are included whole, not as "the selectors that
/// match them": simpler to prove, and replicas of one workload carry the same labels anyway.
/// </summary>
public static class ProxyViewKey
{
    /// <summary>The ProxyView properties the key leaves out, on purpose.</summary>
    public static IReadOnlySet<string> Excluded { get; } = new HashSet<string>(["NodeId", "Address", "Workload"], StringComparer.Ordinal);

    /// <summary>The ProxyView properties the key holds.</summary>
    public static IReadOnlySet<string> Included { get; } =
        new HashSet<string>(["Kind", "Namespace", "Labels", "ServiceAccount", "InboundPort", "AppPort", "OutboundPort"], StringComparer.Ordinal);

    /// <summary>The key of a view as translation will see it (after gateway classification).</summary>
    public static string Of(ProxyView view)
    {
        ArgumentNullException.ThrowIfNull(view);
        var sb = new StringBuilder(128);
        sb.Append((int)view.Kind).Append('|');
        Field(sb, view.Namespace);
        Field(sb, view.ServiceAccount);
        Port(sb, view.InboundPort);
        Port(sb, view.AppPort);
        Port(sb, view.OutboundPort);
        foreach (var (key, value) in view.Labels.OrderBy(l => l.Key, StringComparer.Ordinal))
        {
            Field(sb, key);
            Field(sb, value);
        }
        return sb.ToString();
    }

    // Length-prefixed, so no label text can imitate a separator.
    private static void Field(StringBuilder sb, string value) =>
        sb.Append(value.Length.ToString(CultureInfo.InvariantCulture)).Append(':').Append(value).Append('|');

    private static void Port(StringBuilder sb, int? port) =>
        sb.Append(port is { } p ? p.ToString(CultureInfo.InvariantCulture) : "-").Append('|');
}
