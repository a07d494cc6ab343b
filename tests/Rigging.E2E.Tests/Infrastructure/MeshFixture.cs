using System.Diagnostics;

namespace Rigging.E2E.Tests.Infrastructure;

/// <summary>
/// One mesh shared by the scenario tests (started once, in parallel): <c>rig control-plane</c> with its CA on a
/// temporary config directory (bookinfo's Services and subsets plus Config/e2e-backends.yaml), the six bookinfo workloads
/// under <c>rig run</c>, the python backends (flaky, unsteady good/bad), and a client <c>rig proxy</c>
/// ("loadgen") whose outbound port the tests use; every proxy has a certificate, so sidecars speak mTLS. Scenarios add and remove their own config files through
/// <see cref="ApplyAsync"/>, which waits until the proxies run it. Every process tree is killed on dispose.
/// </summary>
public sealed class MeshFixture : MeshHost
{
    private static readonly TimeSpan ControlPlaneTimeout = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan RegistryTimeout = TimeSpan.FromSeconds(120);
    private static readonly TimeSpan TrafficTimeout = TimeSpan.FromSeconds(150);
    private static readonly TimeSpan ConfigTimeout = TimeSpan.FromSeconds(20);

    public override async Task InitializeAsync()
    {
        var clock = Stopwatch.StartNew();
        var ports = Plan(
        [
            ("productpage", "v1", WorkloadApp.Bookinfo), ("details", "v1", WorkloadApp.Bookinfo),
            ("reviews", "v1", WorkloadApp.Bookinfo), ("reviews", "v2", WorkloadApp.Bookinfo), ("reviews", "v3", WorkloadApp.Bookinfo),
            ("ratings", "v1", WorkloadApp.Bookinfo), ("flaky", "v1", WorkloadApp.Flaky),
            ("unsteady", "good", WorkloadApp.Ok), ("unsteady", "bad", WorkloadApp.Fail), ("loadgen", "v1", WorkloadApp.None),
        ], extraPorts: 1);
        Directory.CreateDirectory(MeshConfig);
        File.Copy(Paths.BookinfoConfig("services.yaml"), Path.Combine(MeshConfig, "services.yaml"));
        File.Copy(Paths.BookinfoConfig(Path.Combine("istio", "destination-rule-all.yaml")), Path.Combine(MeshConfig, "destination-rule-all.yaml"));
        File.Copy(Paths.TestConfig("e2e-backends.yaml"), Path.Combine(MeshConfig, "e2e-backends.yaml"));

        await Explain(async () =>
        {
            await StartMeshAsync(ports[0], ports[1], ports[2], ControlPlaneTimeout);
            var apps = Workloads.Where(w => w.App != WorkloadApp.None).Select(w => w.Name).ToList();
            await Bounded.WaitAsync("every workload in /debug/registryz", RegistryTimeout,
                async () => (await ControlPlane.InstancesAsync()).IsSupersetOf(apps));
            MeshAnswer? last = null;
            await Bounded.WaitAsync("productpage → details, reviews answering through loadgen", TrafficTimeout, async () =>
            {
                last = await Client.GetAsync("productpage", "/productpage");
                return last.Version("details") == "v1" && last.Version("reviews") is not null;
            }, () => $"last answer: {last?.Status} {last?.Body}");
            await Bounded.WaitAsync("flaky and unsteady answering through loadgen", TrafficTimeout, async () =>
                (await Client.GetAsync("flaky", "/warm")).Body.Contains("flaky-v1", StringComparison.Ordinal)
                && (await Client.GetAsync("unsteady", "/_stats")).Body.Contains("unsteady-", StringComparison.Ordinal));
            await Bounded.WaitAsync("every proxy synced", ConfigTimeout, ControlPlane.AllSyncedAsync);
            // The first requests through a cold app cost seconds: warm every reviews version and ratings.
            for (var i = 0; i < 30; i++) await Client.GetAsync("productpage", "/productpage");
        });
        StartupTime = clock.Elapsed;
    }

    /// <summary>
    /// Writes <paramref name="file"/> into the config directory (atomically: a temp file, then a rename), or
    /// deletes it when <paramref name="yaml"/> is null, and waits until the loadgen and productpage proxies were
    /// sent new routes and every proxy ACKed what it was sent. Returns how long that took.
    /// </summary>
    internal async Task<TimeSpan> ApplyAsync(string file, string? yaml)
    {
        var before = await ControlPlane.RouteVersionsAsync();
        var watched = new[] { Workload("loadgen-v1").NodeId, Workload("productpage-v1").NodeId };
        var clock = Stopwatch.StartNew();
        var path = Path.Combine(MeshConfig, file);
        if (yaml is null)
        {
            File.Delete(path);
        }
        else
        {
            var temp = Path.Combine(MeshConfig, "." + file + ".tmp");
            await File.WriteAllTextAsync(temp, yaml);
            File.Move(temp, path, overwrite: true);
        }
        await Bounded.WaitAsync($"routes from {file} {(yaml is null ? "removed" : "applied")} and ACKed", ConfigTimeout, async () =>
        {
            var now = await ControlPlane.RouteVersionsAsync();
            return watched.All(p => now.GetValueOrDefault(p) is { } v && v != before.GetValueOrDefault(p)) && await ControlPlane.AllSyncedAsync();
        });
        return clock.Elapsed;
    }
}
