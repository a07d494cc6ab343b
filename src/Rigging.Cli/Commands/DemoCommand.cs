using System.CommandLine;
using Rigging.Cli.Demo;

namespace Rigging.Cli.Commands;

/// <summary>
/// <c>rig demo [--duration S] [--rate N]</c>: runs the control plane and a bookinfo-like mesh on this machine,
/// sends steady traffic and shows per service and version how it is answered (see Demo/DemoRunner).
/// </summary>
internal static class DemoCommand
{
    public static Command Create()
    {
        var duration = new Option<int?>("--duration")
        {
            Description = "Run S seconds of traffic, print a summary and exit 0 (default: until Ctrl-C)",
            HelpName = "S",
        };
        duration.Validators.Add(result =>
        {
            if (result.GetValue(duration) is { } s && s is < 1 or > 86_400) result.AddError("--duration must be between 1 and 86400 seconds");
        });
        var rate = new Option<int>("--rate")
        {
            Description = "Requests per second to productpage",
            HelpName = "N",
            DefaultValueFactory = _ => 20,
        };
        rate.Validators.Add(result =>
        {
            if (result.GetValue(rate) is < 1 or > 500) result.AddError("--rate must be between 1 and 500 requests per second");
        });
        var workDir = new Option<string?>("--work-dir")
        {
            Description = "Where the demo writes its config and logs (default: .build/demo in the repository)",
            HelpName = "DIR",
        };

        var command = new Command("demo", "Run the demo mesh (control plane, proxies and a bookinfo-like app) on this machine")
        {
            duration, rate, workDir,
        };
        // Synchronous on purpose: System.CommandLine ends async actions 2 s after Ctrl-C, and stopping the mesh
        // cleanly (SIGTERM to every process tree, then the summary) may take longer; DemoSignals takes the signals.
        command.SetAction(parse =>
        {
            using var signals = new DemoSignals();
            var seconds = parse.GetValue(duration);
            var options = new DemoOptions(
                seconds is { } s ? TimeSpan.FromSeconds(s) : null,
                parse.GetValue(workDir),
                parse.GetValue(rate));
            return new DemoRunner(options, TimeProvider.System).RunAsync(signals.Token).GetAwaiter().GetResult();
        });
        return command;
    }
}
