using Envoy.Config.Core.V3;
using Google.Protobuf.WellKnownTypes;

namespace Rigging.Proxy;

/// <summary>
/// The xDS Node this proxy announces: Istio's metadata keys (NAME, NAMESPACE, LABELS, SERVICE_ACCOUNT,
/// INSTANCE_IPS, WORKLOAD_NAME) plus the ports a control plane needs to register the workload.
/// </summary>
public static class NodeIdentity
{
    public const string InboundPortKey = "RIGGING_INBOUND_PORT";
    public const string AppPortKey = "RIGGING_APP_PORT";
    public const string OutboundPortKey = "RIGGING_OUTBOUND_PORT";

    public static Node Create(ProxyOptions options)
    {
        var labels = new Struct();
        foreach (var (key, value) in options.Labels) labels.Fields[key] = Value.ForString(value);
        var metadata = new Struct
        {
            Fields =
            {
                ["NAME"] = Value.ForString(options.Workload),
                ["NAMESPACE"] = Value.ForString(options.Namespace),
                ["WORKLOAD_NAME"] = Value.ForString(options.Workload),
                ["LABELS"] = Value.ForStruct(labels),
                ["SERVICE_ACCOUNT"] = Value.ForString(options.ServiceAccount),
                ["INSTANCE_IPS"] = Value.ForString(options.Address.ToString()),
                ["GENERATOR"] = Value.ForString("rigging"),
            },
        };
        if (options.InboundPort is { } inbound) metadata.Fields[InboundPortKey] = Value.ForNumber(inbound);
        if (options.AppPort is { } app) metadata.Fields[AppPortKey] = Value.ForNumber(app);
        if (options.OutboundPort is { } outbound) metadata.Fields[OutboundPortKey] = Value.ForNumber(outbound);
        return new Node
        {
            Id = options.NodeId,
            Cluster = $"{options.Workload}.{options.Namespace}",
            Metadata = metadata,
            UserAgentName = "rigging",
            UserAgentVersion = typeof(NodeIdentity).Assembly.GetName().Version?.ToString() ?? "0",
        };
    }
}
