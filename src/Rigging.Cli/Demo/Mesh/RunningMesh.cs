namespace Rigging.Cli.Demo.Mesh;

/// <summary>The mesh the demo started: the control plane's ports, the workloads and the loadgen client proxy.</summary>
internal sealed record RunningMesh(int XdsPort, int HttpPort, IReadOnlyList<Workload> Workloads, Loadgen Loadgen)
{
    public Workload Productpage => Workloads[0];
}
