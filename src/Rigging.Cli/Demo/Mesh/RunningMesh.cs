namespace Rigging.Cli.Demo.Mesh;

/// <summary>The mesh the demo started: the control plane's ports and the workloads.</summary>
internal sealed record RunningMesh(int XdsPort, int HttpPort, IReadOnlyList<Workload> Workloads)
{
    public Workload Productpage => Workloads[0];
}
