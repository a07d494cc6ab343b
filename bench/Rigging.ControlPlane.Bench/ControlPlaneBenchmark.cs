using System.Diagnostics;

namespace Rigging.ControlPlane.Bench;

/// <summary>
/// 1. writes the mesh's config, starts the control plane (child process) and the simulated proxies, waits until
///    every proxy has its route table and pushes have settled;
/// 2. N times, one at a time: rewrites one VirtualService with new weights and measures, per proxy, the time from
///    the write until it applied a route table carrying them;
/// 3. adds a WorkloadEntry (an endpoint-only change) and measures until every proxy has the endpoint;
/// 4. asks the control plane for its memory and its last push's breakdown.
/// </summary>
internal static class ControlPlaneBenchmark
{
    private static readonly TimeSpan ChangeTimeout = TimeSpan.FromSeconds(60);

    public static async Task<BenchResult> RunAsync(BenchOptions options)
    {
        var mesh = new BenchMesh(options.Services, options.Namespaces, options.Scope == "sidecar");
        var directory = Path.Combine(Path.GetTempPath(), "rigging-cp-bench-" + Environment.ProcessId);
        if (Directory.Exists(directory)) Directory.Delete(directory, recursive: true);
        Directory.CreateDirectory(directory);
        try
        {
            mesh.Write(directory);
            // One VM already serves svc-0, so the measured WorkloadEntry adds an endpoint of a known kind.
            await File.WriteAllTextAsync(Path.Combine(directory, "we-svc-0-a.yaml"), mesh.WorkloadEntry(0, "svc-0-vm-a", "10.250.0.1"));
            var loadBefore = ProcFs.LoadAverage();
            Console.WriteLine($"{options.Services} services ({options.Scope} scope) in {options.Namespaces} namespaces, {options.Proxies} proxies of {options.Workloads} workloads; load {loadBefore}");

            var setup = Stopwatch.StartNew();
            await using var server = await ServerProcess.StartAsync(directory, options.ConfigDebounceMs, options.PushQuietMs, options.PushLeadingEdge);
            var serverReady = setup.Elapsed.TotalSeconds;
            await using var proxies = new SimulatedProxies(mesh, options.Proxies, options.Workloads, server.XdsPort, mesh.Cluster(0));
            proxies.Start();
            if (!await Until(() => proxies.Ready == proxies.Count, TimeSpan.FromSeconds(600)))
                throw new TimeoutException($"only {proxies.Ready} of {proxies.Count} proxies got a route table");
            await Settle(server);
            var setupSeconds = setup.Elapsed.TotalSeconds;
            Console.WriteLine($"control plane ready in {serverReady:0.0} s; all proxies served and pushes settled in {setupSeconds:0.0} s");

            // `rig apply`'s path: validated and persisted by the control plane, and read at once (no file debounce).
            using var api = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{server.HttpPort}/") };
            var edits = new List<ChangeResult>();
            for (var e = 0; e < options.Edits; e++)
            {
                var service = mesh.Edited(e);
                var weight = (uint)(40 + (e % 50));
                proxies.AwaitRoute(mesh.VirtualHost(service), mesh.SubsetCluster(service, "v1"), weight);
                var cpu = await server.CountersAsync();
                var start = Stopwatch.GetTimestamp();
                if (options.EditVia == "api") await ApplyAsync(api, mesh.VirtualService(service, (int)weight));
                else await File.WriteAllTextAsync(BenchMesh.VirtualServicePath(directory, service), mesh.VirtualService(service, (int)weight));
                var change = await Measure($"edit {e + 1}: VirtualService {BenchMesh.Name(service)} v1 weight {weight}", start, proxies.RouteApplied, server, cpu);
                edits.Add(change);
                await Task.Delay(300);
            }

            proxies.AwaitEndpoint("10.250.0.2");
            var endpointCpu = await server.CountersAsync();
            var endpointStart = Stopwatch.GetTimestamp();
            await File.WriteAllTextAsync(Path.Combine(directory, "we-svc-0-b.yaml"), mesh.WorkloadEntry(0, "svc-0-vm-b", "10.250.0.2"));
            var endpoint = await Measure("endpoint: WorkloadEntry svc-0-vm-b", endpointStart, proxies.EndpointApplied, server, endpointCpu, routes: false);

            var memory = await server.StatsAsync();
            Console.WriteLine($"control plane: live managed {Mib(memory.LiveManagedBytes)} MiB, GC heap {Mib(memory.GcHeapBytes)} MiB, RSS {Mib(memory.RssBytes)} MiB; {memory.Resources} resources, {memory.ConfigErrors} config errors");
            var converged = edits.Select(c => c.AllAppliedMs).Order().ToArray();
            var perProxy = edits.SelectMany(c => c.Latencies).Order().ToArray();
            var summary = new EditSummary(
                Percentile(converged, 0.50), Percentile(converged, 0.99), Percentile(perProxy, 0.50), Percentile(perProxy, 0.99),
                edits.Sum(c => c.Applied), edits.Count * options.Proxies,
                Median(edits, c => c.WriteToPushMs), Median(edits, c => c.PushMs), Median(edits, c => c.DeliveryMs), Median(edits, c => c.ServerCpuMs),
                Median(edits, c => c.SimulatedProxiesCpuMs), Median(edits, c => c.PushContextMs), Median(edits, c => c.PushGenerateMs), Median(edits, c => c.PushSetMs),
                proxies.RouteTableBytes, Median(edits, c => c.ServerGcPauseMs), Median(edits, c => c.DispatchMs));
            Console.WriteLine($"VirtualService edit → every proxy applied: p50 {summary.AllAppliedP50Ms:0.0} ms, p99 {summary.AllAppliedP99Ms:0.0} ms over {edits.Count} edits; per proxy p50 {summary.PerProxyP50Ms:0.0} ms, p99 {summary.PerProxyP99Ms:0.0} ms");
            Console.WriteLine($"  medians: write→push {summary.WriteToPushMs:0.0} ms, push {summary.PushMs:0.0} ms (context {summary.ContextMs:0.0}, generate {summary.GenerateMs:0.0}, set {summary.SetMs:0.0}), push→all applied {summary.DeliveryMs:0.0} ms (last stream served {summary.DispatchMs:0.0} ms after the push); CPU per edit: control plane {summary.ServerCpuMs:0.0} ms (GC pauses {summary.ServerGcPauseMs:0.0} ms), simulated proxies {summary.SimulatedProxiesCpuMs:0.0} ms; route table {summary.RouteTableBytes / 1024.0:0.0} KiB per proxy");
            Console.WriteLine($"WorkloadEntry → every proxy has the endpoint: {endpoint.AllAppliedMs:0.0} ms ({endpoint.LastPush})");
            return new BenchResult(
                options, Environment.ProcessorCount, loadBefore, ProcFs.LoadAverage(), setupSeconds, summary,
                [.. edits.Select(c => c with { Latencies = [] })], endpoint with { Latencies = [] }, memory);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    /// <summary>
    /// Waits until every proxy applied the change, then splits the time: the write until the push began (file
    /// debounce, store reload, push debounce), the push (context, generation, setting), and the push's end until
    /// the last proxy applied it (delivery over 1000 streams and the simulated proxies parsing, on the same cores).
    /// The control plane's CPU time over the change is read from the process (<paramref name="before"/> on), with its GC pauses.
    /// </summary>
    private static async Task<ChangeResult> Measure(string what, long start, long[] applied, ServerProcess server, ServerCounters before, bool routes = true)
    {
        var clientCpuBefore = Environment.CpuUsage.TotalTime.TotalMilliseconds;
        await Until(() => Array.TrueForAll(applied, a => Volatile.Read(ref a) != 0), ChangeTimeout);
        // This process is the simulated proxies: what they spent receiving and parsing, on the same cores.
        var clientCpu = Environment.CpuUsage.TotalTime.TotalMilliseconds - clientCpuBefore;
        var counters = await server.CountersAsync() - before;
        var cpu = counters.CpuMs;
        var latencies = applied.Where(a => a != 0).Select(a => Stopwatch.GetElapsedTime(start, a).TotalMilliseconds).Order().ToArray();
        var stats = await server.StatsAsync();
        var last = applied.Max();
        var result = new ChangeResult(what, latencies.Length, latencies.Length == applied.Length ? latencies[^1] : double.NaN,
            Percentile(latencies, 0.50), Percentile(latencies, 0.99), stats.LastPush, stats.LastPushContextMs, stats.LastPushGenerateMs, stats.LastPushSetMs,
            Ms(start, stats.LastPushStarted), stats.LastPushMs, Ms(stats.LastPushFinished, last), cpu, clientCpu, counters.GcPauseMs, counters.Gen2Collections,
            Ms(stats.LastPushFinished, routes ? stats.LastRouteSent : stats.LastEndpointSent), latencies);
        Console.WriteLine($"{what}: {result.Applied}/{applied.Length} applied, all in {result.AllAppliedMs:0.0} ms (p50 {result.P50Ms:0.0}, p99 {result.P99Ms:0.0}) = " +
            $"write→push {result.WriteToPushMs:0.0} + push {result.PushMs:0.0} + push→all applied {result.DeliveryMs:0.0} (last stream served {result.DispatchMs:0.0} after the push); CPU: control plane {cpu:0.0} ms (GC pauses {counters.GcPauseMs:0.0} ms, {counters.Gen2Collections} full), simulated proxies {clientCpu:0.0} ms; push {stats.LastPush}");
        return result;
    }

    private static async Task ApplyAsync(HttpClient api, string yaml)
    {
        using var content = new StringContent(yaml, System.Text.Encoding.UTF8, "application/yaml");
        using var response = await api.PostAsync("apis/v1/resources?source=bench", content);
        if (!response.IsSuccessStatusCode) throw new InvalidOperationException($"apply answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
    }

    private static double Ms(long from, long to) => (to - from) * 1000.0 / Stopwatch.Frequency;

    /// <summary>Waits until the control plane's push count has stood still for 2 s (registration pushes done).</summary>
    private static async Task Settle(ServerProcess server)
    {
        var last = -1L;
        for (var i = 0; i < 120; i++)
        {
            var pushes = (await server.StatsAsync()).Pushes;
            if (pushes == last) return;
            last = pushes;
            await Task.Delay(2000);
        }
    }

    private static async Task<bool> Until(Func<bool> condition, TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            if (clock.Elapsed > timeout) return false;
            await Task.Delay(2);
        }
        return true;
    }

    private static double Median(List<ChangeResult> changes, Func<ChangeResult, double> figure) => Percentile([.. changes.Select(figure).Order()], 0.50);

    private static double Percentile(double[] sorted, double p) =>
        sorted.Length == 0 ? double.NaN : sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Length) - 1, 0, sorted.Length - 1)];

    private static string Mib(long bytes) => (bytes / 1048576.0).ToString("0.0", System.Globalization.CultureInfo.InvariantCulture);
}

internal sealed record ChangeResult(
    string Change, int Applied, double AllAppliedMs, double P50Ms, double P99Ms,
    string LastPush, double PushContextMs, double PushGenerateMs, double PushSetMs,
    double WriteToPushMs, double PushMs, double DeliveryMs, double ServerCpuMs, double SimulatedProxiesCpuMs,
    double ServerGcPauseMs, int ServerFullCollections, double DispatchMs, double[] Latencies);

internal sealed record EditSummary(
    double AllAppliedP50Ms, double AllAppliedP99Ms, double PerProxyP50Ms, double PerProxyP99Ms, int Applied, int Expected,
    double WriteToPushMs, double PushMs, double DeliveryMs, double ServerCpuMs, double SimulatedProxiesCpuMs, double ContextMs, double GenerateMs, double SetMs,
    long RouteTableBytes, double ServerGcPauseMs, double DispatchMs);

internal sealed record BenchResult(
    BenchOptions Options, int Cores, string LoadAverageBefore, string LoadAverage, double SetupSeconds, EditSummary Edits,
    IReadOnlyList<ChangeResult> EditRuns, ChangeResult EndpointChange, ServerStats ControlPlane);
