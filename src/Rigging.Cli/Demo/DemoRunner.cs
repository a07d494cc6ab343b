using Rigging.Cli.Demo.Display;
using Rigging.Cli.Demo.Mesh;
using Rigging.Cli.Demo.Processes;
using Rigging.Cli.Demo.Traffic;
using Spectre.Console;

namespace Rigging.Cli.Demo;

/// <summary>
/// <c>rig demo</c> from start to end:
/// 1. find the repository's samples, take the work directory's lock, lay out config and logs;
/// 2. build the sample app if ./rig has not;
/// 3. start the control plane, the six bookinfo workloads (each under <c>rig run</c>) and the loadgen client
///    proxy (<c>rig proxy</c>, whose outbound port the traffic goes through), waiting for each step;
/// 4. probe productpage through loadgen until one request crosses the whole mesh;
/// 5. send steady traffic and show the table (live on a terminal, a line every few seconds otherwise) until
///    the duration passes, the user presses Ctrl-C, or a child dies;
/// 6. stop every process tree, print the summary.
/// </summary>
internal sealed partial class DemoRunner(DemoOptions options, TimeProvider time)
{
    public const string DemoIdVariable = "RIGGING_DEMO_ID";
    private static readonly TimeSpan ProbeTimeout = TimeSpan.FromSeconds(45);

    public async Task<int> RunAsync(CancellationToken cancel)
    {
        // Into a log or a pipe: plain text, lines as long as a wide terminal's rather than Spectre's default 80.
        if (Console.IsOutputRedirected)
        {
            AnsiConsole.Profile.Width = 140;
            AnsiConsole.Profile.Capabilities.Ansi = false;
        }
        var paths = DemoPaths.Find(options.WorkDirectory);
        if (paths is null)
        {
            DemoConsole.Problem("rig demo runs from a Rigging checkout: no folder above this rig or the current directory holds Rigging.sln and samples/bookinfo");
            return 1;
        }
        Directory.CreateDirectory(paths.WorkDirectory);
        using var workLock = TryLock(paths);
        if (workLock is null)
        {
            DemoConsole.Problem($"another rig demo is running with {DemoPaths.Show(paths.WorkDirectory)}; stop it first (Ctrl-C there)");
            return 1;
        }
        if (Directory.Exists(paths.Logs)) Directory.Delete(paths.Logs, recursive: true);
        Directory.CreateDirectory(paths.Logs);

        if (!SampleApp.IsCurrent(paths)) DemoConsole.Step($"building the sample app into {DemoPaths.Show(paths.SampleBuild)} (once)");
        var (appDll, buildError) = await SampleApp.EnsureBuiltAsync(paths, paths.Log("build-samples"), cancel);
        if (appDll is null)
        {
            DemoConsole.Problem(buildError ?? "could not build the sample app");
            return 1;
        }
        var fileToEdit = DemoPaths.Show(DemoConfig.Prepare(paths));
        DemoConsole.Ok($"config in {DemoPaths.Show(paths.Config)}: bookinfo's Services and subsets, reviews split 80/20 (v1/v2)");

        using var http = new HttpClient(new SocketsHttpHandler { UseProxy = false }) { Timeout = TimeSpan.FromSeconds(2) };
        await using var supervisor = new Supervisor(ChildEnvironment(), cancel);
        var (mesh, outcome) = await new MeshLauncher(paths, supervisor, http).StartAsync(appDll, cancel);
        if (mesh is null) return await GiveUpAsync(outcome, supervisor, paths);

        // Traffic enters the mesh through the loadgen proxy (its outbound port as the HTTP proxy), as a workload's
        // would: never straight to an inbound port, which a mesh with STRICT mTLS refuses to plaintext clients.
        using var client = new HttpMessageInvoker(new SocketsHttpHandler
        {
            Proxy = new System.Net.WebProxy(mesh.Loadgen.Proxy) { BypassProxyOnLocal = false },
            UseProxy = true,
            AllowAutoRedirect = false,
            UseCookies = false,
            MaxConnectionsPerServer = TrafficGenerator.MaxInFlight,
            ConnectTimeout = TimeSpan.FromSeconds(2),
        });
        var stats = new TrafficStats(time);
        var productpage = new Uri($"http://{TrafficGenerator.Host}/productpage");
        var traffic = new TrafficGenerator(client, productpage, stats, time, options.RequestsPerSecond);
        DemoConsole.Step($"sending a first request to {productpage} through the loadgen proxy (127.0.0.1:{mesh.Loadgen.OutboundPort}, its outbound port)");
        var probed = await Readiness.WaitAsync(traffic.ProbeAsync, ProbeTimeout, supervisor.Died, cancel);
        if (probed == ReadyOutcome.TimedOut)
        {
            DemoConsole.Problem($"no request crossed the mesh (productpage → details, reviews → ratings) within {ProbeTimeout.TotalSeconds:0} s; see the logs in {DemoPaths.Show(paths.Logs)}");
        }
        if (probed != ReadyOutcome.Ready) return await GiveUpAsync(probed, supervisor, paths);
        // Warm every app (each version: the mesh's routing would pick only some) straight on its inbound port,
        // which PERMISSIVE mTLS (the default) accepts, then every service through the mesh.
        using (var direct = new HttpMessageInvoker(new SocketsHttpHandler { UseProxy = false, ConnectTimeout = TimeSpan.FromSeconds(2) }))
        {
            await traffic.WarmUpAsync(
                mesh.Workloads.Select(w => (new Uri($"http://127.0.0.1:{w.InboundPort}/{w.Service}/0"), $"{w.Service}:9080")), cancel, direct);
        }
        await traffic.WarmUpAsync(
            mesh.Workloads.Select(w => (new Uri($"http://{w.Service}:9080/{w.Service}/0"), $"{w.Service}:9080")), cancel);
        DemoConsole.Ok("productpage answers through the mesh");
        DemoConsole.Hint($"to change where reviews traffic goes, edit {fileToEdit}, or copy another sample over it, e.g.");
        DemoConsole.Quote($"cp {DemoPaths.Show(Path.Combine(paths.SampleConfig, "istio", "virtual-service-reviews-v3.yaml"))} {fileToEdit}");

        var (died, elapsed) = await RunTrafficAsync(traffic, stats, supervisor, fileToEdit, cancel);
        if (died is not null) await ReportDeathAsync(died);
        await supervisor.StopAllAsync(cancel.IsCancellationRequested ? TimeSpan.FromSeconds(1.2) : TimeSpan.FromSeconds(4));

        AnsiConsole.WriteLine();
        AnsiConsole.MarkupLine($"[bold]Summary[/]: {traffic.Sent} requests to productpage in {elapsed.TotalSeconds:0} s ({options.RequestsPerSecond}/s asked, a third as end-user jason)");
        AnsiConsole.Write(TrafficTable.Summary(stats.Rows()));
        DemoConsole.Ok($"stopped the control plane, {mesh.Workloads.Count} workloads and loadgen; logs in {DemoPaths.Show(paths.Logs)}");
        return died is null ? 0 : 1;
    }

    private static async Task<int> GiveUpAsync(ReadyOutcome outcome, Supervisor supervisor, DemoPaths paths)
    {
        if (outcome == ReadyOutcome.ChildDied) await ReportDeathAsync(await supervisor.Died);
        await supervisor.StopAllAsync(TimeSpan.FromSeconds(1.2));
        if (outcome == ReadyOutcome.Cancelled)
        {
            DemoConsole.Ok($"stopped; logs in {DemoPaths.Show(paths.Logs)}");
            return 130;
        }
        return 1;
    }

    private static async Task ReportDeathAsync(ChildProcess child)
    {
        var code = await child.Exited;
        DemoConsole.Problem($"{child.Name} exited (code {code}); its log: {DemoPaths.Show(child.LogPath)}. Its last lines:");
        DemoConsole.Quote(child.Tail(12));
    }

    /// <summary>What every child inherits: a demo id (for finding leftovers) and no proxy variables of the user's.</summary>
    private static Dictionary<string, string?> ChildEnvironment() => new()
    {
        [DemoIdVariable] = Environment.GetEnvironmentVariable(DemoIdVariable) ?? Guid.NewGuid().ToString("N"),
        ["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1",
        ["DOTNET_NOLOGO"] = "1",
        ["HTTP_PROXY"] = null, ["http_proxy"] = null, ["HTTPS_PROXY"] = null, ["https_proxy"] = null,
        ["ALL_PROXY"] = null, ["all_proxy"] = null, ["NO_PROXY"] = null, ["no_proxy"] = null,
        ["ASPNETCORE_URLS"] = null, ["DOTNET_URLS"] = null,
    };

    /// <summary>An exclusive lock on the work directory (released when the demo exits, however it exits).</summary>
    private static FileStream? TryLock(DemoPaths paths)
    {
        try
        {
            return new FileStream(Path.Combine(paths.WorkDirectory, "demo.lock"), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException)
        {
            return null;
        }
    }
}
