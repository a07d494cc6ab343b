using System.Globalization;
using System.Text.Json;
using Rigging.Proxy.Bench;

// Usage: dotnet Rigging.Proxy.Bench.dll --rig PATH/rig.dll [--seconds N (2-20, per phase)] [--out bench/results/proxy.json]
//                                      [--scenarios direct,rig,rig-mtls,nginx,nginx-tls (default: all)]
//        dotnet Rigging.Proxy.Bench.dll --rig PATH/rig.dll --quick [--seconds N]   (rig x2 at 1000 req/s only: RSS, CPU)
//        dotnet Rigging.Proxy.Bench.dll --alloc [--requests N] [--types]   (bytes allocated per request by one in-process hop; see AllocProbe.cs)
// Side by side, one invocation: direct client→backend; client→rig→rig→backend, plaintext and with the mesh's mTLS
// between the hops and an AuthorizationPolicy on the second; client→nginx→nginx→backend, plaintext and with
// mutual TLS between the hops. 1 KB responses.
var rig = Arg("--rig") ?? Path.Combine("bench", ".build", "rig", "rig.dll");
var seconds = Math.Clamp(int.Parse(Arg("--seconds") ?? "10", CultureInfo.InvariantCulture), 2, 20);
var output = Arg("--out") ?? Path.Combine("bench", "results", "proxy.json");
if (!args.Contains("--alloc") && !File.Exists(rig)) return Fail($"{rig} not found: build rig first (bench/run-proxy-bench.sh does)");
var phase = TimeSpan.FromSeconds(seconds);
// --quick: only the two rig hops, closed loop then 1000 req/s (RSS and CPU per proxy), for trying runtime settings; writes nothing.
var quick = args.Contains("--quick");
string? scenarioError = null;
var chosen = quick ? [Scenarios.Rig] : Scenarios.Parse(Arg("--scenarios"), out scenarioError);
if (chosen is null) return Fail(scenarioError!);
// Every path is under the AuthorizationPolicy's allowed prefix, so all scenarios send the same request.
var path = MeshSecurity.AllowedPrefix + "1k";

// The machine's load average (1, 5, 15 min) before and after: figures from a busy machine are not comparable.
var loadBefore = LoadAverage();
var backendPort = Ports.Free();
await using var backend = Nginx.Backend(backendPort);
await WaitForPortAsync(backendPort);
if (args.Contains("--alloc")) return await AllocProbe.RunAsync(int.Parse(Arg("--requests") ?? "20000", CultureInfo.InvariantCulture), backendPort, args.Contains("--types"));
var results = new List<ScenarioResult>();
var certificates = chosen.Contains(Scenarios.RigMtls) || chosen.Contains(Scenarios.NginxTls) ? BenchCertificates.Create(TimeProvider.System) : null;

if (chosen.Contains(Scenarios.Direct)) results.Add(await MeasureAsync(Scenarios.Direct, $"http://127.0.0.1:{backendPort}{path}", []));

if (chosen.Contains(Scenarios.Rig))
{
    await using var proxies = new RigProxies();
    await proxies.StartAsync();
    int hop1 = Ports.Free(), hop2 = Ports.Free();
    await proxies.AddHopAsync(Path.GetFullPath(rig), "hop2", RigProxies.Resources("hop2", hop2, backendPort));
    await proxies.AddHopAsync(Path.GetFullPath(rig), "hop1", RigProxies.Resources("hop1", hop1, hop2));
    results.Add(await MeasureAsync(Scenarios.Rig, $"http://127.0.0.1:{hop1}{path}", [.. proxies.Pids.Select(p => (IReadOnlyList<int>)[p])]));
}
if (quick)
{
    var rigs = results[^1];
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"rig x2 1conn p50 {rigs.ClosedLoop.P50:F3} p90 {rigs.ClosedLoop.P90:F3}; at 1000/s: p50 {rigs.FixedRate.P50:F3} p90 {rigs.FixedRate.P90:F3} p99 {rigs.FixedRate.P99:F3} ms; cpu s/1k {string.Join(" / ", rigs.CpuSecondsPer1000PerProxy.Select(c => c.ToString("F3", CultureInfo.InvariantCulture)))}; peak RSS MB {string.Join(" / ", rigs.PeakRssMbAt1000PerProxy.Select(c => c.ToString("F1", CultureInfo.InvariantCulture)))}"));
    return 0;
}

if (chosen.Contains(Scenarios.RigMtls))
{
    await using var proxies = new RigProxies();
    await proxies.StartAsync();
    int hop1 = Ports.Free(), hop2 = Ports.Free();
    var security = MeshSecurity.Generate(hop2, backendPort);
    var serverAdmin = await proxies.AddHopAsync(Path.GetFullPath(rig), "hop2", SecureHops.Server("hop2", hop2, backendPort, security, certificates!));
    await proxies.AddHopAsync(Path.GetFullPath(rig), "hop1", SecureHops.Client("hop1", hop1, hop2, security, certificates!));
    var url = $"http://127.0.0.1:{hop1}{path}";
    var handshakes = await SecurityCheck.RigAsync(url, hop2, serverAdmin, certificates!);
    Console.WriteLine($"   checked: mTLS between the hops (server ssl.handshake {handshakes}), RBAC refuses another identity, POST and a path outside the policy, plaintext refused");
    var result = await MeasureAsync(Scenarios.RigMtls, url, [.. proxies.Pids.Select(p => (IReadOnlyList<int>)[p])]);
    results.Add(result with { ServerHopTlsHandshakes = await SecurityCheck.HandshakesAsync(serverAdmin) - handshakes });
}

if (chosen.Contains(Scenarios.Nginx))
{
    int hop1 = Ports.Free(), hop2 = Ports.Free();
    await using var second = Nginx.Hop(hop2, backendPort);
    await using var first = Nginx.Hop(hop1, hop2);
    await WaitForPortAsync(hop1);
    await WaitForPortAsync(hop2);
    await Task.Delay(200);
    results.Add(await MeasureAsync(Scenarios.Nginx, $"http://127.0.0.1:{hop1}{path}", [ProcStats.WithChildren(first.Pid), ProcStats.WithChildren(second.Pid)]));
}

if (chosen.Contains(Scenarios.NginxTls))
{
    using var pem = certificates!.WriteFiles();
    int hop1 = Ports.Free(), hop2 = Ports.Free();
    await using var second = Nginx.TlsTerminatingHop(hop2, backendPort, pem);
    await using var first = Nginx.TlsOriginatingHop(hop1, hop2, pem);
    await WaitForPortAsync(hop1);
    await WaitForPortAsync(hop2);
    await Task.Delay(200);
    var url = $"http://127.0.0.1:{hop1}{path}";
    await SecurityCheck.NginxAsync(url, hop2, certificates);
    Console.WriteLine("   checked: the second nginx refuses plaintext and a TLS client without a certificate");
    results.Add(await MeasureAsync(Scenarios.NginxTls, url, [ProcStats.WithChildren(first.Pid), ProcStats.WithChildren(second.Pid)]));
}

var costs = ScenarioDifference.Of(results, Scenarios.SecuredPairs);
var securedComparison = ScenarioDifference.Of(results, Scenarios.SecuredComparison);
Report.Print(results, costs, securedComparison, Console.Out);
Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(output))!);
await File.WriteAllTextAsync(output, JsonSerializer.Serialize(new
{
    machine = new { cores = Environment.ProcessorCount, runtime = Environment.Version.ToString(), loadAverageBefore = loadBefore, loadAverageAfter = LoadAverage() },
    rigEnvironment = RigProxies.LauncherEnvironment,
    phaseSeconds = seconds,
    note = "closed loop: 1 connection, sequential; fixed: 1000 req/s over 16 connections; max: wrk -t1 -c16; cpu and rss per proxy process (nginx: master+worker); " +
        "mtls+authz: the plaintext rig config plus the control plane's own STRICT mTLS and ALLOW AuthorizationPolicy output (SDS secrets over ADS); " +
        "nginx tls: mutual TLS between the hops (verify on, session reuse, upstream keep-alive); securityCost = secured minus plaintext; securedRigMinusNginx = rig mtls+authz minus nginx tls",
    scenarios = results,
    securityCost = costs,
    securedRigMinusNginx = securedComparison,
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
    var memoryAtRate = proxyPids.Select(ProcStats.Memory).ToList();
    var max = quick ? 0 : await LoadClient.MaxThroughputAsync(url, TimeSpan.FromSeconds(Math.Min(seconds, 10)));
    var rssPeak = proxyPids.Select(ProcStats.PeakRssMb).ToList();
    var cpuPer1000 = cpuAfter.Zip(cpuBefore, (a, b) => (a - b) / (requests / 1000.0)).ToList();
    return new ScenarioResult(name, closed, fixedRate, requests, cpuPer1000, rssAtRate, rssPeak, max) { MemoryAt1000PerProxy = memoryAtRate };
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
