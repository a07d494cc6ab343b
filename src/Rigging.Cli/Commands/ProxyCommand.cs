using System.CommandLine;
using Microsoft.Extensions.Logging;
using Rigging.Proxy;

namespace Rigging.Cli.Commands;

/// <summary>
/// <c>rig proxy --xds HOST:PORT --workload NAME ...</c>: runs the proxy, programmed over ADS, until SIGTERM,
/// SIGINT or POST /quitquitquit; then it drains (listeners stop accepting, requests in flight finish) and waits
/// the drain duration before it exits 0.
/// </summary>
internal static class ProxyCommand
{
    public static Command Create()
    {
        var options = new ProxyCommandLine();
        options.Xds.Required = true;
        var command = new Command("proxy", "Run the Rigging proxy (sidecar or gateway), programmed by an xDS server");
        foreach (var option in options.All) command.Options.Add(option);
        // Synchronous on purpose: System.CommandLine ends async actions 2 s after SIGTERM, shorter than a drain.
        command.SetAction(parse => RunAsync(options, parse).GetAwaiter().GetResult());
        return command;
    }

    private static async Task<int> RunAsync(ProxyCommandLine line, ParseResult parse)
    {
        Rigging.Proxy.Listeners.InlineSocketIo.EnableForProcess();
        var (options, error) = line.Bind(parse, defaultXds: "127.0.0.1:15010");
        if (options is null)
        {
            await Console.Error.WriteLineAsync($"rig proxy: {error}").ConfigureAwait(false);
            return 2;
        }
        using var loggers = ProxyCommandLine.CreateLoggers(parse.GetValue(line.LogLevel));
        var logger = loggers.CreateLogger("rig.proxy");
        using var signals = new ProxySignals();
        ProxyHost host;
        try
        {
            host = await ProxyHost.StartAsync(options, loggers: loggers).ConfigureAwait(false);
        }
        catch (IOException e)
        {
            await Console.Error.WriteLineAsync($"rig proxy: cannot start: {e.Message} (is --admin-port {options.AdminPort} in use?)").ConfigureAwait(false);
            return 1;
        }
        await using (host.ConfigureAwait(false))
        {
            ProxyCommandLog.Started(logger, options.NodeId, options.Xds.ToString());
            var why = await Task.WhenAny(signals.Received, host.QuitRequested).ConfigureAwait(false);
            var reason = why == host.QuitRequested ? "/quitquitquit" : (await signals.Received.ConfigureAwait(false)).ToString();
            ProxyCommandLog.Stopping(logger, reason);
            await host.StopAsync().ConfigureAwait(false);
        }
        ProxyCommandLog.Stopped(logger);
        return 0;
    }
}
