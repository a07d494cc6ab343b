using System.CommandLine;
using Microsoft.Extensions.Logging;
using Rigging.Proxy;

namespace Rigging.Cli.Commands;

/// <summary>
/// <c>rig run --workload NAME --app-port M -- COMMAND ARGS...</c>: the proxy and the application together, like a
/// pod with a sidecar: the application starts once the proxy is ready (Istio's holdApplicationUntilProxyStarts;
/// bounded by --proxy-ready-timeout), reaches the mesh through HTTP_PROXY (the outbound port), and stopping either
/// stops both with a drain. The exit code is the application's.
/// </summary>
internal static class RunCommand
{
    public static Command Create()
    {
        var options = new ProxyCommandLine();
        options.AppPort.Required = true;
        var readyTimeout = new Option<double>("--proxy-ready-timeout")
        {
            Description = "Seconds to hold the application until the proxy is ready (then it starts anyway)",
            DefaultValueFactory = _ => 30.0,
        };
        var commandLine = new Argument<string[]>("command") { Description = "The application and its arguments (after --)", Arity = ArgumentArity.OneOrMore };
        var command = new Command("run", "Run an application with its proxy beside it, like a pod: rig run --workload NAME --app-port M -- COMMAND ARGS...");
        foreach (var option in options.All) command.Options.Add(option);
        command.Options.Add(readyTimeout);
        command.Arguments.Add(commandLine);
        // Synchronous on purpose: System.CommandLine ends async actions 2 s after SIGTERM, shorter than a drain.
        command.SetAction(parse => RunAsync(options, parse, parse.GetValue(commandLine) ?? [], parse.GetValue(readyTimeout)).GetAwaiter().GetResult());
        return command;
    }

    private static async Task<int> RunAsync(ProxyCommandLine line, ParseResult parse, string[] app, double readySeconds)
    {
        var inlineSetHere = Rigging.Proxy.Listeners.InlineSocketIo.EnableForProcess();
        var (options, error) = line.Bind(parse, defaultXds: "127.0.0.1:15010", defaultOutboundPort: 15001);
        if (options is null || app.Length == 0)
        {
            await Console.Error.WriteLineAsync($"rig run: {error ?? "give the application after --, e.g. rig run --workload web --app-port 8080 -- python3 -m http.server 8080"}").ConfigureAwait(false);
            return 2;
        }
        using var loggers = ProxyCommandLine.CreateLoggers(parse.GetValue(line.LogLevel));
        var logger = loggers.CreateLogger("rig.run");
        using var signals = new ProxySignals();
        ProxyHost host;
        try
        {
            host = await ProxyHost.StartAsync(options, loggers: loggers).ConfigureAwait(false);
        }
        catch (IOException e)
        {
            await Console.Error.WriteLineAsync($"rig run: cannot start the proxy: {e.Message} (is --admin-port {options.AdminPort} in use?)").ConfigureAwait(false);
            return 1;
        }
        await using (host.ConfigureAwait(false))
        {
            ProxyCommandLog.Started(logger, options.NodeId, options.Xds.ToString());
            var pod = new RunPod(host, options, logger, inlineSetHere);
            return await pod.RunAsync(app, TimeSpan.FromSeconds(readySeconds), signals.Received).ConfigureAwait(false);
        }
    }
}
