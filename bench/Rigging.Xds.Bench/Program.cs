using System.Text.Json;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using Rigging.Xds.Bench;

// dotnet run -c Release --project bench/Rigging.Xds.Bench -- frames
// dotnet run -c Release --project bench/Rigging.Xds.Bench -- convergence [clients=1000] [rounds=5] [clusters=50] [out=bench/results/xds-convergence.json]
string mode = args.Length > 0 ? args[0] : "convergence";
string results = Path.Combine(FindRepoRoot(), "bench", "results");
Directory.CreateDirectory(results);
var json = new JsonSerializerOptions { WriteIndented = true };

if (mode == "frames")
{
    var config = ManualConfig.CreateMinimumViable()
        .AddDiagnoser(MemoryDiagnoser.Default)
        .AddJob(Job.ShortRun.WithToolchain(InProcessEmitToolchain.Instance))
        .WithArtifactsPath(Path.Combine(Path.GetTempPath(), "rigging-xds-bench"));
    var summary = BenchmarkRunner.Run<FrameBenchmarks>(config);
    var rows = summary.Reports.Select(r => new
    {
        benchmark = r.BenchmarkCase.Descriptor.WorkloadMethodDisplayInfo,
        meanNs = r.ResultStatistics?.Mean,
        allocatedBytesPerOp = r.GcStats.GetBytesAllocatedPerOperation(r.BenchmarkCase),
    }).ToList();
    foreach (var row in rows)
    {
        Console.WriteLine($"{row.benchmark}: {row.meanNs:0.0} ns/op, {row.allocatedBytesPerOp} B allocated/op");
    }

    await File.WriteAllTextAsync(Path.Combine(results, "xds-frames.json"), JsonSerializer.Serialize(new { machine = Environment.ProcessorCount + " cores", rows }, json));
}
else
{
    int clients = args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 1000;
    int rounds = args.Length > 2 ? int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture) : 5;
    int clusters = args.Length > 3 ? int.Parse(args[3], System.Globalization.CultureInfo.InvariantCulture) : 50;
    string outPath = args.Length > 4 ? args[4] : Path.Combine(results, "xds-convergence.json");
    var result = await ConvergenceBenchmark.RunAsync(clients, rounds, clusters);
    Console.WriteLine($"{result.Clients} ADS clients, {result.Clusters} clusters; all connected and served in {result.SetupSeconds:0.0} s");
    foreach (var round in result.Rounds)
    {
        Console.WriteLine(
            $"round {round.Round}: {round.Converged}/{result.Clients} applied; p50 {round.P50Ms:0.0} ms, p99 {round.P99Ms:0.0} ms, max {round.MaxMs:0.0} ms (set loop {round.SetLoopMs:0.0} ms)");
    }

    Console.WriteLine($"process (server + {result.Clients} clients): managed heap {result.ManagedBytes / 1048576.0:0.0} MiB, working set {result.WorkingSetBytes / 1048576.0:0.0} MiB");
    await File.WriteAllTextAsync(outPath, JsonSerializer.Serialize(result, json));
}

static string FindRepoRoot()
{
    for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
    {
        if (File.Exists(Path.Combine(dir.FullName, "Rigging.sln")))
        {
            return dir.FullName;
        }
    }

    return Directory.GetCurrentDirectory();
}
