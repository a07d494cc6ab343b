using System.CommandLine;
using Rigging.Api.Validation;
using Rigging.Cli.Output;

namespace Rigging.Cli.Commands;

/// <summary><c>rig validate -f FILE|DIR...</c>: checks configuration with Istio's rules; exit 0 when it is all valid.</summary>
internal static class ValidateCommand
{
    public static Command Create()
    {
        var files = new Option<string[]>("--filename", "-f")
        {
            Description = "Files or directories of YAML/JSON resources (repeatable)",
            Required = true,
            AllowMultipleArgumentsPerToken = true,
        };
        var output = new Option<string>("--output", "-o")
        {
            Description = "Output format: human or json",
            DefaultValueFactory = _ => "human",
        };
        output.AcceptOnlyFromAmong("human", "json");

        var command = new Command("validate", "Validate Istio and Kubernetes resources in files or directories") { files, output };
        command.SetAction(parse =>
        {
            var result = ConfigValidator.ValidatePaths(parse.GetValue(files) ?? []);
            if (parse.GetValue(output) == "json") DiagnosticPrinter.PrintJson(result, Console.Out);
            else DiagnosticPrinter.PrintHuman(result, Console.Out, color: !Console.IsOutputRedirected);
            return result.HasErrors ? 1 : 0;
        });
        return command;
    }
}
