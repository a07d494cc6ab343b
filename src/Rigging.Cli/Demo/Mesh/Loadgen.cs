namespace Rigging.Cli.Demo.Mesh;

/// <summary>
/// The demo's client workload: a <c>rig proxy</c> without an application whose outbound port the traffic
/// generator uses as its HTTP proxy, so every demo request enters the mesh through a sidecar as a workload's
/// would (and keeps working when the mesh requires mTLS between proxies).
/// </summary>
internal sealed record Loadgen(int OutboundPort)
{
    public const string Name = "loadgen";

    public const string Labels = "app=loadgen,version=v1";

    public const string ServiceAccount = "bookinfo-loadgen";

    public Uri Proxy => new($"http://127.0.0.1:{OutboundPort.ToString(System.Globalization.CultureInfo.InvariantCulture)}");
}
