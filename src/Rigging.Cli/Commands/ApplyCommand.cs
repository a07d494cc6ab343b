using System.CommandLine;
using Rigging.Api.Diagnostics;
using Rigging.Api.Loading;


namespace Rigging.Cli.Commands;

/// <summary><c>rig apply -f FILE|DIR</c>: sends resources to the control plane, which validates and persists them.</summary>
internal static class ApplyCommand
{
    public static Command Create()
    {
        var files = new Option<string[]>("--filename", "-f")
        {
            Description = "Files or directories of YAML/JSON resources (repeatable)",
            Required = true,
            AllowMultipleArgumentsPerToken = true,
        };
        var server = ResourceClient.ServerOption();
        var command = new Command("apply", "Create or update resources on the control plane") { files, server };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var diagnostics = new List<Diagnostic>();
            var paths = ConfigLoader.ExpandPaths(parse.GetValue(files) ?? [], diagnostics);
            foreach (var d in diagnostics) Console.Error.WriteLine(d);
            if (diagnostics.Exists(d => d.Severity == Severity.Error)) return 1;
            using var client = new ResourceClient(parse.GetValue(server)!);
            var failed = 0;
            foreach (var path in paths)
            {
                var outcome = await client.ApplyAsync(path, await File.ReadAllTextAsync(path, cancellationToken), cancellationToken);
                if (!ResourceClient.Print(outcome, Console.Out, Console.Error)) failed++;
            }
            if (failed > 0) Console.Error.WriteLine($"{failed} of {paths.Count} file(s) not applied");
            return failed == 0 ? 0 : 1;
        });
        return command;
    }
}
