using System.Globalization;
using System.Text.Json;
using Rigging.Proxy.Bench;

// Usage: dotnet Rigging.Proxy.Bench.dll --rig PATH/rig.dll [--seconds N (2-20, per phase)] [--out bench/results/proxy.json]
//        dotnet Rigging.Proxy.Bench.dll --rig PATH/rig.dll --quick [--seconds N]   (rig x2 at 1000 req/s only: RSS, CPU)
//        dotnet Rigging.Proxy.Bench.dll --alloc [--requests N] [--types]   (bytes allocated per request by one in-process hop; see AllocProbe.cs)
// Side by side, one invocation: direct client→backend; client→rig→rig→backend; client→nginx→nginx→backend. 1 KB responses.
var rig = Arg("--rig") ?? Path.Combine("bench", ".build", "rig", "rig.dll");
var seconds = Math.Clamp(int.Parse(Arg("--seconds") ?? "10", CultureInfo.InvariantCulture), 2, 20);
var output = Arg("--out") ?? Path.Combine("bench", "results", "proxy.json");
if (!args.Contains("--alloc") && !File.Exists(rig)) return Fail($"{rig} not found: build rig first (bench/run-proxy-bench.sh does)");
var phase = TimeSpan.FromSeconds(seconds);
// --quick: only the two rig hops, closed loop then 1000 req/s (RSS and CPU per proxy), for trying runtime settings; writes nothing.
var quick = args.Contains("--quick");

// The machine's load average (1, 5, 15 min) before and after: figures from a busy machine are not comparable.
var loadBefore = LoadAverage();
var backendPort = Ports.Free();
await using var backend = Nginx.Backend(backendPort);
await WaitForPortAsync(backendPort);
if (args.Contains("--alloc")) return await AllocProbe.RunAsync(int.Parse(Arg("--requests") ?? "20000", CultureInfo.InvariantCulture), backendPort, args.Contains("--types"));
var results = new List<ScenarioResult>();

if (!quick) results.Add(await MeasureAsync("direct", $"http://127.0.0.1:{backendPort}/", []));

await using (var proxies = new RigProxies())
{
    await proxies.StartAsync();
    int hop1 = Ports.Free(), hop2 = Ports.Free();
    await proxies.AddHopAsync(Path.GetFullPath(rig), "hop2", hop2, backendPort);
    await proxies.AddHopAsync(Path.GetFullPath(rig), "hop1", hop1, hop2);
    results.Add(await MeasureAsync("rig x2", $"http://127.0.0.1:{hop1}/", [.. proxies.Pids.Select(p => (IReadOnlyList<int>)[p])]));
}
if (quick)
{
    var rigs = results[^1];
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"rig x2 1conn p50 {rigs.ClosedLoop.P50:F3} p90 {rigs.ClosedLoop.P90:F3}; at 1000/s: p50 {rigs.FixedRate.P50:F3} p90 {rigs.FixedRate.P90:F3} p99 {rigs.FixedRate.P99:F3} ms; cpu s/1k {string.Join(" / ", rigs.CpuSecondsPer1000PerProxy.Select(c => c.ToString("F3", CultureInfo.InvariantCulture)))}; peak RSS MB {string.Join(" / ", rigs.PeakRssMbAt1000PerProxy.Select(c => c.ToString("F1", CultureInfo.InvariantCulture)))}"));
    return 0;
}

{
    int hop1 = Ports.Free(), hop2 = Ports.Free();
    await using var second = Nginx.Hop(hop2, backendPort);
    await using var first = Nginx.Hop(hop1, hop2);
    await WaitForPortAsync(hop1);
    await WaitForPortAsync(hop2);
    await Task.Delay(200);
    results.Add(await MeasureAsync("nginx x2", $"http://127.0.0.1:{hop1}/", [ProcStats.WithChildren(first.Pid), ProcStats.WithChildren(second.Pid)]));
}

Report.Print(results, Console.Out);
Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(output))!);
await File.WriteAllTextAsync(output, JsonSerializer.Serialize(new
{
    machine = new { cores = Environment.ProcessorCount, runtime = Environment.Version.ToString(), loadAverageBefore = loadBefore, loadAverageAfter = LoadAverage() },
    rigEnvironment = RigProxies.LauncherEnvironment,
    phaseSeconds = seconds,
    note = "closed loop: 1 connection, sequential; fixed: 1000 req/s over 16 connections; max: wrk -t1 -c16; cpu and rss per proxy process (nginx: master+worker)",
    scenarios = results,
}, new JsonSerializerOptions { WriteIndented = true }));
Console.WriteLine($"wrote {output}");
return 0;

async Task<ScenarioResult> MeasureAsync(string name, string url, IReadOnlyList<IReadOnlyList<int>> proxyPids)
{
    Console.WriteLine($"== {name}: {url}");
    // The closed loop also warms the proxies up (tiered JIT settles) before CPU is measured, in --quick too.
    var closed = await LoadClient.ClosedLoopAsync(url, 200_000, phase);
    var cpuBefore = proxyPids.Select(ProcStats.CpuSeconds).ToList();
    var (fixedRate, requests) = await LoadClient.FixedRateAsync(url, 1000, 16, phase);
    var cpuAfter = proxyPids.Select(ProcStats.CpuSeconds).ToList();
    var rssAtRate = proxyPids.Select(ProcStats.PeakRssMb).ToList();
    var max = quick ? 0 : await LoadClient.MaxThroughputAsync(url, TimeSpan.FromSeconds(Math.Min(seconds, 10)));
    var rssPeak = proxyPids.Select(ProcStats.PeakRssMb).ToList();
    var cpuPer1000 = cpuAfter.Zip(cpuBefore, (a, b) => (a - b) / (requests / 1000.0)).ToList();
    return new ScenarioResult(name, closed, fixedRate, requests, cpuPer1000, rssAtRate, rssPeak, max);
}

static async Task WaitForPortAsync(int port)
{
    for (var i = 0; i < 100; i++)
    {
        using var socket = new System.Net.Sockets.Socket(System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Tcp);
        try
        {
            await socket.ConnectAsync(System.Net.IPAddress.Loopback, port);
            return;
        }
        catch (System.Net.Sockets.SocketException)
        {
            await Task.Delay(50);
        }
    }
    throw new TimeoutException($"nothing listens on {port}");
}

static string LoadAverage() => File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "unknown";

string? Arg(string name)
{
    var i = Array.IndexOf(args, name);
    return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
}

static int Fail(string message)
{
    Console.Error.WriteLine(message);
    return 1;
}
