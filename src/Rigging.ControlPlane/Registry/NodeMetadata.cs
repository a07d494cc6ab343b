using System.Collections.Immutable;
using System.Globalization;
using Envoy.Config.Core.V3;
using Google.Protobuf.WellKnownTypes;
using Rigging.ControlPlane.Model;

namespace Rigging.ControlPlane.Registry;

/// <summary>
/// Reads what a proxy announces in its xDS node metadata (Istio's keys: NAME, NAMESPACE, LABELS, SERVICE_ACCOUNT,
/// INSTANCE_IPS, GENERATOR; Rigging's RIGGING_*_PORT) into a <see cref="ProxyView"/> and, for proxies that front a
/// workload, the <see cref="WorkloadInstance"/> it registers.
/// </summary>
public static class NodeMetadata
{
    public const string InboundPortKey = "RIGGING_INBOUND_PORT";
    public const string AppPortKey = "RIGGING_APP_PORT";
    public const string OutboundPortKey = "RIGGING_OUTBOUND_PORT";

    /// <summary>The proxy as announced; a sidecar whose labels match a Gateway's selector becomes a gateway at push time.</summary>
    public static ProxyView ToProxyView(Node node)
    {
        ArgumentNullException.ThrowIfNull(node);
        var fields = node.Metadata?.Fields;
        var generator = Text(fields, "GENERATOR");
        return new ProxyView
        {
            NodeId = node.Id,
            Kind = string.Equals(generator, "grpc", StringComparison.OrdinalIgnoreCase) ? ProxyKind.ProxylessGrpc : ProxyKind.Sidecar,
            Namespace = Text(fields, "NAMESPACE") is { Length: > 0 } ns ? ns : "default",
            Workload = Text(fields, "NAME") ?? Text(fields, "WORKLOAD_NAME") ?? node.Id,
            Labels = Labels(fields),
            ServiceAccount = Text(fields, "SERVICE_ACCOUNT") is { Length: > 0 } sa ? sa : "default",
            Address = FirstAddress(Text(fields, "INSTANCE_IPS")) ?? "127.0.0.1",
            InboundPort = Port(fields, InboundPortKey),
            AppPort = Port(fields, AppPortKey),
            OutboundPort = Port(fields, OutboundPortKey),
        };
    }

    /// <summary>
    /// The workload instance a proxy registers, or null for proxyless clients and for nodes that announce no address.
    /// </summary>
    public static WorkloadInstance? ToInstance(Node node, ProxyView view)
    {
        ArgumentNullException.ThrowIfNull(node);
        ArgumentNullException.ThrowIfNull(view);
        if (view.Kind == ProxyKind.ProxylessGrpc || FirstAddress(Text(node.Metadata?.Fields, "INSTANCE_IPS")) is null) return null;
        return new WorkloadInstance
        {
            Name = view.Workload,
            Namespace = view.Namespace,
            Address = view.Address,
            Labels = view.Labels,
            ServiceAccount = view.ServiceAccount,
            InboundPort = view.InboundPort,
            NodeId = view.NodeId,
        };
    }

    private static string? Text(IDictionary<string, Value>? fields, string key) =>
        fields is not null && fields.TryGetValue(key, out var value) && value.KindCase == Value.KindOneofCase.StringValue ? value.StringValue : null;

    private static ImmutableDictionary<string, string> Labels(IDictionary<string, Value>? fields)
    {
        if (fields is null || !fields.TryGetValue("LABELS", out var value) || value.StructValue is not { } labels) return ImmutableDictionary<string, string>.Empty;
        var builder = ImmutableDictionary.CreateBuilder<string, string>(StringComparer.Ordinal);
        foreach (var (key, label) in labels.Fields)
        {
            if (label.KindCase == Value.KindOneofCase.StringValue) builder[key] = label.StringValue;
        }
        return builder.ToImmutable();
    }

    private static int? Port(IDictionary<string, Value>? fields, string key)
    {
        if (fields is null || !fields.TryGetValue(key, out var value)) return null;
        return value.KindCase switch
        {
            Value.KindOneofCase.NumberValue when value.NumberValue is > 0 and < 65536 => (int)value.NumberValue,
            Value.KindOneofCase.StringValue when int.TryParse(value.StringValue, NumberStyles.None, CultureInfo.InvariantCulture, out var p) && p is > 0 and < 65536 => p,
            _ => null,
        };
    }

    /// <summary>INSTANCE_IPS is a comma-separated list; the first address is the one traffic uses.</summary>
    private static string? FirstAddress(string? ips)
    {
        if (string.IsNullOrWhiteSpace(ips)) return null;
        var comma = ips.IndexOf(',', StringComparison.Ordinal);
        var first = (comma < 0 ? ips : ips[..comma]).Trim();
        return first.Length == 0 ? null : first;
    }
}
