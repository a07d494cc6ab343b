using System.Globalization;
using System.Text.Json;
using Rigging.ControlPlane.Bench;

// dotnet run -c Release --project bench/Rigging.ControlPlane.Bench -- [--services 1000] [--proxies 1000] [--workloads 100]
//   [--namespaces 20] [--edits 20] [--scope sidecar|mesh] [--config-debounce-ms 50] [--push-quiet-ms 100] [--push-leading-edge true|false] [--out control-plane.json]
if (args.Length >= 5 && args[0] == "serve")
{
    return await ServeMode.RunAsync(args[1], TimeSpan.FromMilliseconds(Int(args[2])), TimeSpan.FromMilliseconds(Int(args[3])), args[4] == "leading");
}

var options = BenchOptions.Parse(args);
if (options is null)
{
    Console.WriteLine("usage: [--services N] [--proxies N] [--workloads N] [--namespaces N] [--edits N] [--scope sidecar|mesh] [--config-debounce-ms MS] [--push-quiet-ms MS] [--push-leading-edge true|false] [--edit-via file|api] [--out FILE]");
    return 2;
}

var result = await ControlPlaneBenchmark.RunAsync(options);
var results = Path.Combine(FindRepoRoot(), "bench", "results");
Directory.CreateDirectory(results);
var path = Path.Combine(results, options.Out);
await File.WriteAllTextAsync(path, JsonSerializer.Serialize(result, new JsonSerializerOptions { WriteIndented = true }));
Console.WriteLine($"wrote {path}");
return 0;

static int Int(string text) => int.Parse(text, CultureInfo.InvariantCulture);

static string FindRepoRoot()
{
    for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
    {
        if (File.Exists(Path.Combine(dir.FullName, "Rigging.sln"))) return dir.FullName;
    }
    return Directory.GetCurrentDirectory();
}
