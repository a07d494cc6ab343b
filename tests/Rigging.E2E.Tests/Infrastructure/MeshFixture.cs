using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace Rigging.E2E.Tests.Infrastructure;

/// <summary>
/// One mesh shared by the scenario tests (started once, in parallel): <c>rig control-plane</c> on a temporary
/// config directory (bookinfo's Services and subsets plus Config/e2e-backends.yaml), the six bookinfo workloads
/// under <c>rig run</c>, the python backends (flaky, unsteady good/bad), and a client <c>rig proxy</c>
/// ("loadgen") whose outbound port the tests use. Scenarios add and remove their own config files through
/// <see cref="ApplyAsync"/>, which waits until the proxies run it. Every process tree is killed on dispose.
/// </summary>
public sealed class MeshFixture : IAsyncLifetime
{
    private static readonly TimeSpan ControlPlaneTimeout = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan RegistryTimeout = TimeSpan.FromSeconds(120);
    private static readonly TimeSpan TrafficTimeout = TimeSpan.FromSeconds(90);
    private static readonly TimeSpan ConfigTimeout = TimeSpan.FromSeconds(20);
    private readonly List<MeshProcess> _processes = [];
    private readonly List<MeshWorkload> _workloads = [];
    private readonly string _config = Directory.CreateTempSubdirectory("rigging-e2e-").FullName;
    private ControlPlaneProbe? _controlPlane;
    private MeshClient? _client;

    internal ControlPlaneProbe ControlPlane => _controlPlane ?? throw new InvalidOperationException("mesh not started");

    /// <summary>HTTP through the loadgen proxy's outbound port.</summary>
    internal MeshClient Client => _client ?? throw new InvalidOperationException("mesh not started");

    internal IReadOnlyList<MeshWorkload> Workloads => _workloads;

    internal MeshWorkload Workload(string name) => _workloads.Single(w => w.Name == name);

    /// <summary>How long the mesh took to start (reported by the tests' output).</summary>
    internal TimeSpan StartupTime { get; private set; }

    public async Task InitializeAsync()
    {
        var clock = Stopwatch.StartNew();
        (string Service, string Version, WorkloadApp App)[] plan =
        [
            ("productpage", "v1", WorkloadApp.Bookinfo), ("details", "v1", WorkloadApp.Bookinfo),
            ("reviews", "v1", WorkloadApp.Bookinfo), ("reviews", "v2", WorkloadApp.Bookinfo), ("reviews", "v3", WorkloadApp.Bookinfo),
            ("ratings", "v1", WorkloadApp.Bookinfo), ("flaky", "v1", WorkloadApp.Flaky),
            ("unsteady", "good", WorkloadApp.Ok), ("unsteady", "bad", WorkloadApp.Fail), ("loadgen", "v1", WorkloadApp.None),
        ];
        var ports = FreePort.Take(2 + (3 * plan.Length));
        for (var i = 0; i < plan.Length; i++)
        {
            _workloads.Add(new MeshWorkload(plan[i].Service, plan[i].Version, plan[i].App, ports[2 + (3 * i)], ports[3 + (3 * i)], ports[4 + (3 * i)]));
        }
        File.Copy(Paths.BookinfoConfig("services.yaml"), Path.Combine(_config, "services.yaml"));
        File.Copy(Paths.BookinfoConfig(Path.Combine("istio", "destination-rule-all.yaml")), Path.Combine(_config, "destination-rule-all.yaml"));
        File.Copy(Paths.TestConfig("e2e-backends.yaml"), Path.Combine(_config, "e2e-backends.yaml"));

        var (xds, http) = (ports[0], ports[1]);
        _controlPlane = new ControlPlaneProbe(http);
        _processes.Add(MeshProcess.StartRig("control-plane",
            ["control-plane", "--config", _config, "--xds-port", Str(xds), "--http-port", Str(http)]));
        // The workloads start at once: their proxies retry the control plane until it is up.
        foreach (var workload in _workloads) _processes.Add(MeshProcess.StartRig(workload.Name, workload.Command(xds)));
        _client = new MeshClient(Workload("loadgen-v1").OutboundPort);

        await Explain(async () =>
        {
            await Bounded.WaitAsync("control plane /ready", ControlPlaneTimeout, ControlPlane.ReadyAsync);
            var apps = _workloads.Where(w => w.App != WorkloadApp.None).Select(w => w.Name).ToList();
            await Bounded.WaitAsync("every workload in /debug/registryz", RegistryTimeout,
                async () => (await ControlPlane.InstancesAsync()).IsSupersetOf(apps));
            await Bounded.WaitAsync("productpage → details, reviews answering through loadgen", TrafficTimeout, async () =>
            {
                var answer = await Client.GetAsync("productpage", "/productpage");
                return answer.Version("details") == "v1" && answer.Version("reviews") is not null;
            });
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
        var path = Path.Combine(_config, file);
        if (yaml is null)
        {
            File.Delete(path);
        }
        else
        {
            var temp = Path.Combine(_config, "." + file + ".tmp");
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

    /// <summary>Applies one of bookinfo's Istio samples (samples/bookinfo/config/istio) under its own file name.</summary>
    internal Task<TimeSpan> ApplySampleAsync(string sample) =>
        ApplyAsync(sample, File.ReadAllText(Paths.BookinfoConfig(Path.Combine("istio", sample))));

    /// <summary>Runs <paramref name="body"/>; a failure is rethrown with every process's last lines and the debug pages.</summary>
    internal async Task Explain(Func<Task> body)
    {
        try
        {
            await body();
        }
        catch (Exception e)
        {
            throw new MeshFailureException(e.Message + "\n" + await ReportAsync(), e);
        }
    }

    private async Task<string> ReportAsync()
    {
        var report = new StringBuilder();
        foreach (var process in _processes) report.Append(process.Tail()).Append('\n');
        if (_controlPlane is not null)
        {
            report.Append("--- /debug/syncz ---\n").Append(Truncate(await _controlPlane.PageAsync("/debug/syncz"), 6000)).Append('\n');
            report.Append("--- /debug/config_errors ---\n").Append(Truncate(await _controlPlane.PageAsync("/debug/config_errors"), 3000)).Append('\n');
        }
        return report.ToString();
    }

    private static string Truncate(string text, int max) => text.Length <= max ? text : text[..max] + "…";

    private static string Str(int value) => value.ToString(CultureInfo.InvariantCulture);

    public Task DisposeAsync()
    {
        _client?.Dispose();
        // Workloads first, the control plane last, each tree at once.
        Parallel.ForEach(Enumerable.Reverse(_processes), p => p.Dispose());
        _controlPlane?.Dispose();
        try
        {
            Directory.Delete(_config, recursive: true);
        }
        catch (IOException)
        {
            // A file still open by a dying process: the temp folder is cleaned later.
        }
        return Task.CompletedTask;
    }
}
