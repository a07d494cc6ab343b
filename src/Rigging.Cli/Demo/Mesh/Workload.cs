namespace Rigging.Cli.Demo.Mesh;

/// <summary>One bookinfo workload under <c>rig run</c>: its app's port and its proxy's inbound and outbound ports.</summary>
internal sealed record Workload(string Service, string Version, int AppPort, int InboundPort, int OutboundPort)
{
    /// <summary>The workload name (and log name), e.g. reviews-v2.</summary>
    public string Name => $"{Service}-{Version}";

    public string Labels => $"app={Service},version={Version}";

    /// <summary>The service account Istio's bookinfo gives it.</summary>
    public string ServiceAccount => $"bookinfo-{Service}";

    /// <summary>productpage → details, reviews v1/v2/v3; reviews v2/v3 → ratings.</summary>
    public static readonly (string Service, string Version)[] Bookinfo =
    [
        ("productpage", "v1"), ("details", "v1"), ("reviews", "v1"), ("reviews", "v2"), ("reviews", "v3"), ("ratings", "v1"),
    ];
}
