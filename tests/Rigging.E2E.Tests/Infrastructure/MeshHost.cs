using System.Globalization;
using System.Text;

namespace Rigging.E2E.Tests.Infrastructure;

/// <summary>
/// What every test mesh has: a temporary config directory, its processes (each tree killed on dispose), the
/// control plane's debug pages, the loadgen client, and failure reports with every process's last lines.
/// </summary>
public abstract class MeshHost : IAsyncLifetime
{
    private readonly List<MeshProcess> _processes = [];
    private readonly List<MeshWorkload> _workloads = [];
    private ControlPlaneProbe? _controlPlane;
    private MeshClient? _client;

    /// <summary>The temp folder: the watched config (mesh/), the CA state (state/) and the tokens (tokens/).</summary>
    protected string ConfigDirectory { get; } = Directory.CreateTempSubdirectory("rigging-e2e-").FullName;

    internal ControlPlaneProbe ControlPlane => _controlPlane ?? throw new InvalidOperationException("mesh not started");

    /// <summary>HTTP through the loadgen proxy's outbound port.</summary>
    internal MeshClient Client => _client ?? throw new InvalidOperationException("mesh not started");

    internal IReadOnlyList<MeshWorkload> Workloads => _workloads;

    internal MeshWorkload Workload(string name) => _workloads.Single(w => w.Name == name);

    /// <summary>How long the mesh took to start (reported by the tests' output).</summary>
    internal TimeSpan StartupTime { get; private protected set; }

    public abstract Task InitializeAsync();

    /// <summary>Lays out the workloads with distinct free ports; returns the two control-plane ports (xDS, HTTP) and any extra ones.</summary>
    private protected int[] Plan((string Service, string Version, WorkloadApp App)[] plan, int extraPorts = 0)
    {
        var ports = Rigging.Cli.Demo.Mesh.FreePorts.Take(2 + extraPorts + (3 * plan.Length));
        var first = 2 + extraPorts;
        for (var i = 0; i < plan.Length; i++)
        {
            _workloads.Add(new MeshWorkload(plan[i].Service, plan[i].Version, plan[i].App, ports[first + (3 * i)], ports[first + 1 + (3 * i)], ports[first + 2 + (3 * i)]));
        }
        _controlPlane = new ControlPlaneProbe(ports[1]);
        _client = new MeshClient(Workload("loadgen-v1").OutboundPort);
        return ports[..first];
    }

    private protected void Start(string name, IEnumerable<string> rigArgs) => _processes.Add(MeshProcess.StartRig(name, rigArgs));

    /// <summary>The CA's root (in the control plane's state directory under the temp folder).</summary>
    internal string RootCertificate => Path.Combine(StateDirectory, "root-cert.pem");

    private string StateDirectory => Path.Combine(ConfigDirectory, "state");

    /// <summary>The directory the control plane watches.</summary>
    internal string MeshConfig => Path.Combine(ConfigDirectory, "mesh");

    /// <summary>
    /// Starts <c>rig control-plane</c> with the CA on (<c>--xds-tls-port</c>, state in the temp folder), waits for
    /// /ready, then starts every workload at once with a bootstrap token (<c>POST /apis/v1/tokens</c>, as
    /// <c>rig token create</c> does) and the mesh root, talking ADS over https: sidecars get certificates and speak
    /// mTLS to each other (auto mTLS), as in Istio.
    /// </summary>
    private protected async Task StartMeshAsync(int xds, int http, int xdsTls, TimeSpan controlPlaneTimeout)
    {
        Start("control-plane", ["control-plane", "--config", MeshConfig, "--xds-port", Str(xds), "--http-port", Str(http),
            "--xds-tls-port", Str(xdsTls), "--state", StateDirectory]);
        await Bounded.WaitAsync("control plane /ready", controlPlaneTimeout, ControlPlane.ReadyAsync);
        if (!File.Exists(RootCertificate)) throw new InvalidOperationException($"the CA wrote no root at {RootCertificate}");
        var tokens = Directory.CreateDirectory(Path.Combine(ConfigDirectory, "tokens")).FullName;
        foreach (var account in _workloads.Select(w => w.ServiceAccount).Distinct())
        {
            await File.WriteAllTextAsync(Path.Combine(tokens, account + ".token"), await ControlPlane.TokenAsync(account));
        }
        foreach (var workload in _workloads)
        {
            Start(workload.Name, workload.Command($"https://127.0.0.1:{Str(xdsTls)}",
                ["--token-file", Path.Combine(tokens, workload.ServiceAccount + ".token"), "--ca-root-file", RootCertificate]));
        }
    }

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

    private protected static string Str(int value) => value.ToString(CultureInfo.InvariantCulture);

    public Task DisposeAsync()
    {
        _client?.Dispose();
        Parallel.ForEach(_processes, p => p.Dispose());
        _controlPlane?.Dispose();
        try
        {
            Directory.Delete(ConfigDirectory, recursive: true);
        }
        catch (IOException)
        {
            // A file still open by a dying process: the temp folder is cleaned later.
        }
        return Task.CompletedTask;
    }
}
