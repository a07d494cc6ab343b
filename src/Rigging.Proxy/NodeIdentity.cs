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

    /// <summary>
    /// The label Istio's injector puts on every pod with a sidecar. A proxy sets it from what it can do: "istio"
    /// when it has a workload certificate (so peers may send it mutual TLS and it can originate it), "disabled"
    /// when it runs without a CA (plaintext dev mode), unless the user labelled the workload themselves.
    /// </summary>
    public const string TlsModeLabel = "security.istio.io/tlsMode";

    public static Node Create(ProxyOptions options)
    {
        var labels = new Struct();
        foreach (var (key, value) in options.Labels) labels.Fields[key] = Value.ForString(value);
        if (!labels.Fields.ContainsKey(TlsModeLabel)) labels.Fields[TlsModeLabel] = Value.ForString(options.UsesCertificates ? "istio" : "disabled");
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
