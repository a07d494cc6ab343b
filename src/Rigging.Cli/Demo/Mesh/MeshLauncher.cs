using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using Rigging.Cli.Demo.Display;
using Rigging.Cli.Demo.Processes;

namespace Rigging.Cli.Demo.Mesh;

/// <summary>
/// Starts the mesh: <c>rig control-plane</c> on the working config with its CA on, waits for its /ready, asks it
/// for a bootstrap token per service account (what <c>rig token create</c> does); then one
/// <c>rig run … -- dotnet app.dll --role …</c> per bookinfo workload and the loadgen client proxy
/// (<c>rig proxy</c>, no app), each with its token and the mesh root, talking xDS over https (so every proxy gets
/// a certificate and sidecars speak mTLS), and waits until the control plane's registry lists them all. Every wait is bounded and says what it waited for when it gives up.
/// </summary>
internal sealed class MeshLauncher(DemoPaths paths, Supervisor supervisor, HttpClient http)
{
    private static readonly TimeSpan ControlPlaneTimeout = TimeSpan.FromSeconds(45);
    private static readonly TimeSpan RegistryTimeout = TimeSpan.FromSeconds(45);

    public async Task<(RunningMesh? Mesh, ReadyOutcome Outcome)> StartAsync(string appDll, CancellationToken cancel)
    {
        var ports = FreePorts.Take(4 + (3 * Workload.Bookinfo.Length));
        var xdsTls = ports[^2];
        var (xds, httpPort) = (ports[0], ports[1]);
        var workloads = new List<Workload>();
        for (var i = 0; i < Workload.Bookinfo.Length; i++)
        {
            var (service, version) = Workload.Bookinfo[i];
            workloads.Add(new Workload(service, version, ports[2 + (3 * i)], ports[3 + (3 * i)], ports[4 + (3 * i)]));
        }
        var mesh = new RunningMesh(xds, httpPort, workloads, new Loadgen(ports[^1]));

        var clock = Stopwatch.StartNew();
        DemoConsole.Step($"starting the control plane (xDS 127.0.0.1:{xds}, xDS and CA over TLS 127.0.0.1:{xdsTls}, HTTP 127.0.0.1:{httpPort}); log: {DemoPaths.Show(paths.Log("control-plane"))}");
        supervisor.Start("control-plane", paths.Log("control-plane"), RigCommand.Rig(
            "control-plane", "--config", paths.Config, "--xds-port", Str(xds), "--http-port", Str(httpPort),
            "--xds-tls-port", Str(xdsTls), "--state", paths.State));
        var ready = await Readiness.WaitAsync(
            async c => (await http.GetAsync(Url(httpPort, "/ready"), c)).IsSuccessStatusCode, ControlPlaneTimeout, supervisor.Died, cancel);
        if (ready != ReadyOutcome.Ready)
        {
            if (ready == ReadyOutcome.TimedOut)
            {
                DemoConsole.Problem($"the control plane did not answer /ready on 127.0.0.1:{httpPort} within {ControlPlaneTimeout.TotalSeconds:0} s; see {DemoPaths.Show(paths.Log("control-plane"))}");
            }
            return (null, ready);
        }
        DemoConsole.Ok($"control plane ready ({clock.Elapsed.TotalSeconds:0.0} s); its CA gives every proxy a certificate, so sidecars speak mTLS (root: {DemoPaths.Show(paths.RootCertificate)})");

        clock.Restart();
        DemoConsole.Step($"starting {workloads.Count} workloads, each beside its proxy (rig run), and the loadgen proxy (rig proxy); logs: {DemoPaths.Show(paths.Logs)}/<workload>.log");
        var tokens = await TokenFilesAsync(httpPort, [.. workloads.Select(w => w.ServiceAccount), Loadgen.ServiceAccount], cancel);
        if (tokens is null) return (null, cancel.IsCancellationRequested ? ReadyOutcome.Cancelled : ReadyOutcome.TimedOut);
        var secure = $"https://127.0.0.1:{Str(xdsTls)}";
        foreach (var workload in workloads) StartWorkload(workload, appDll, secure, tokens[workload.ServiceAccount]);
        StartLoadgen(mesh.Loadgen, secure, tokens[Loadgen.ServiceAccount]);
        ready = await Readiness.WaitAsync(c => AllRegisteredAsync(httpPort, workloads, c), RegistryTimeout, supervisor.Died, cancel);
        if (ready == ReadyOutcome.TimedOut)
        {
            DemoConsole.Problem($"the control plane's registry (/debug/registryz) did not list every workload within {RegistryTimeout.TotalSeconds:0} s; see the logs in {DemoPaths.Show(paths.Logs)}");
        }
        if (ready != ReadyOutcome.Ready) return (null, ready);
        supervisor.Remember();
        DemoConsole.Ok($"all {workloads.Count} workloads registered with the control plane ({clock.Elapsed.TotalSeconds:0.0} s)");
        return (mesh, ReadyOutcome.Ready);
    }

    private void StartWorkload(Workload workload, string appDll, string xds, string tokenFile)
    {
        supervisor.Start(workload.Name, paths.Log(workload.Name), RigCommand.Rig(
            "run",
            "--workload", workload.Name,
            "--namespace", "default",
            "--labels", workload.Labels,
            "--service-account", workload.ServiceAccount,
            "--app-port", Str(workload.AppPort),
            "--inbound-port", Str(workload.InboundPort),
            "--outbound-port", Str(workload.OutboundPort),
            "--xds", xds,
            "--token-file", tokenFile,
            "--ca-root-file", paths.RootCertificate,
            "--admin-port", "0",
            "--drain-duration", "1",
            "--",
            RigCommand.Dotnet, appDll,
            "--role", workload.Service, "--version", workload.Version, "--port", Str(workload.AppPort)));
    }

    /// <summary>The client side: only an outbound listener, which the traffic generator uses as its HTTP proxy.</summary>
    private void StartLoadgen(Loadgen loadgen, string xds, string tokenFile)
    {
        supervisor.Start(Loadgen.Name, paths.Log(Loadgen.Name), RigCommand.Rig(
            "proxy",
            "--workload", Loadgen.Name,
            "--namespace", "default",
            "--labels", Loadgen.Labels,
            "--service-account", Loadgen.ServiceAccount,
            "--outbound-port", Str(loadgen.OutboundPort),
            "--xds", xds,
            "--token-file", tokenFile,
            "--ca-root-file", paths.RootCertificate,
            "--admin-port", "0",
            "--drain-duration", "1"));
    }

    /// <summary>
    /// A bootstrap token per service account from the control plane's tokens API (loopback only), each in a file
    /// only the user can read; null after saying what failed.
    /// </summary>
    private async Task<Dictionary<string, string>?> TokenFilesAsync(int httpPort, IEnumerable<string> accounts, CancellationToken cancel)
    {
        Directory.CreateDirectory(paths.Tokens);
        var files = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var account in accounts.Distinct())
        {
            var body = new Dictionary<string, string> { ["namespace"] = "default", ["serviceAccount"] = account, ["ttl"] = "24h" };
            try
            {
                using var response = await http.PostAsJsonAsync(Url(httpPort, "/apis/v1/tokens"), body, cancel);
                var text = await response.Content.ReadAsStringAsync(cancel);
                if (!response.IsSuccessStatusCode)
                {
                    DemoConsole.Problem($"the control plane refused a token for default/{account}: {(int)response.StatusCode} {text.Trim()}");
                    return null;
                }
                using var json = JsonDocument.Parse(text);
                var file = Path.Combine(paths.Tokens, account + ".token");
                await File.WriteAllTextAsync(file, json.RootElement.GetProperty("token").GetString(), cancel);
                if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(file, UnixFileMode.UserRead | UnixFileMode.UserWrite);
                files[account] = file;
            }
            catch (Exception e) when (e is HttpRequestException or JsonException or KeyNotFoundException or IOException or TaskCanceledException)
            {
                DemoConsole.Problem($"could not get a token for default/{account} from the control plane: {e.Message}");
                return null;
            }
        }
        return files;
    }

    /// <summary>True when /debug/registryz names every workload or its inbound port (or does not exist: the traffic probe decides then).</summary>
    private async Task<bool> AllRegisteredAsync(int httpPort, List<Workload> workloads, CancellationToken cancel)
    {
        using var response = await http.GetAsync(Url(httpPort, "/debug/registryz"), cancel);
        if (response.StatusCode == System.Net.HttpStatusCode.NotFound) return true;
        if (!response.IsSuccessStatusCode) return false;
        var body = await response.Content.ReadAsStringAsync(cancel);
        return body.Contains($"\"{Loadgen.Name}\"", StringComparison.Ordinal)
            && workloads.TrueForAll(w => body.Contains(w.Name, StringComparison.Ordinal)
                || body.Contains($":{Str(w.InboundPort)}", StringComparison.Ordinal));
    }

    private static Uri Url(int port, string path) => new($"http://127.0.0.1:{Str(port)}{path}");

    private static string Str(int value) => value.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
