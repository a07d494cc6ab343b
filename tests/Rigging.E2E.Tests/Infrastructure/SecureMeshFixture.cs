using System.Diagnostics;

namespace Rigging.E2E.Tests.Infrastructure;

/// <summary>
/// A small mesh of its own for the PeerAuthentication scenario (it changes how every inbound port answers, so
/// it does not share the main mesh): the control plane with its CA, one backend ("secure", Backends/backend.py
/// under <c>rig run</c>) and the loadgen client proxy, both with certificates.
/// </summary>
public sealed class SecureMeshFixture : MeshHost
{
    private static readonly TimeSpan ControlPlaneTimeout = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan MeshTimeout = TimeSpan.FromSeconds(150);

    public override async Task InitializeAsync()
    {
        var clock = Stopwatch.StartNew();
        var ports = Plan([("secure", "v1", WorkloadApp.Ok), ("loadgen", "v1", WorkloadApp.None)], extraPorts: 1);
        Directory.CreateDirectory(MeshConfig);
        File.Copy(Paths.TestConfig("e2e-secure.yaml"), Path.Combine(MeshConfig, "e2e-secure.yaml"));
        await Explain(async () =>
        {
            await StartMeshAsync(ports[0], ports[1], ports[2], ControlPlaneTimeout);
            MeshAnswer? last = null;
            await Bounded.WaitAsync("secure answering through loadgen", MeshTimeout, async () =>
            {
                last = await Client.GetAsync("secure", "/warm");
                return last.Body.Contains("secure-v1", StringComparison.Ordinal);
            }, () => $"last answer: {last?.Status} {last?.Body}");
            await Bounded.WaitAsync("every proxy synced", TimeSpan.FromSeconds(20), ControlPlane.AllSyncedAsync);
        });
        StartupTime = clock.Elapsed;
    }
}
