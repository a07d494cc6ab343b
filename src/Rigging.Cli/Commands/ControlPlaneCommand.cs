using System.CommandLine;
using Microsoft.Extensions.Logging;
using Rigging.ControlPlane;

namespace Rigging.Cli.Commands;

/// <summary><c>rig control-plane --config DIR</c>: serves xDS from the config in DIR until Ctrl-C.</summary>
internal static class ControlPlaneCommand
{
    public static Command Create()
    {
        var config = new Option<string>("--config", "-c") { Description = "Directory of YAML/JSON resources (watched; created if missing)", Required = true };
        var xdsPort = new Option<int>("--xds-port") { Description = "ADS (gRPC) port", DefaultValueFactory = _ => 15010 };
        var httpPort = new Option<int>("--http-port") { Description = "HTTP port: /ready, /metrics, /debug/*, resources API", DefaultValueFactory = _ => 15014 };
        var grace = new Option<double>("--registration-grace") { Description = "Seconds a self-registered workload stays after its proxy disconnects", DefaultValueFactory = _ => 10 };
        var verbose = new Option<bool>("--verbose", "-v") { Description = "Debug logs" };

        var command = new Command("control-plane", "Run the control plane: watch config, register proxies, push xDS") { config, xdsPort, httpPort, grace, verbose };
        command.SetAction(async (parse, cancellationToken) =>
        {
            using var loggers = LoggerFactory.Create(b => b
                .AddSimpleConsole(o =>
                {
                    o.SingleLine = true;
                    o.TimestampFormat = "HH:mm:ss.fff ";
                })
                .SetMinimumLevel(parse.GetValue(verbose) ? LogLevel.Debug : LogLevel.Information));
            ControlPlaneHost host;
            try
            {
                host = await ControlPlaneHost.StartAsync(new ControlPlaneOptions
                {
                    ConfigDirectory = parse.GetValue(config)!,
                    XdsPort = parse.GetValue(xdsPort),
                    HttpPort = parse.GetValue(httpPort),
                    RegistrationGracePeriod = TimeSpan.FromSeconds(parse.GetValue(grace)),
                    LoggerFactory = loggers,
                }, cancellationToken);
            }
            catch (IOException e)
            {
                await Console.Error.WriteLineAsync($"rig control-plane: cannot start: {e.Message}");
                return 1;
            }
            await using (host)
            {
                try
                {
                    await Task.Delay(Timeout.Infinite, cancellationToken);
                }
                catch (OperationCanceledException)
                {
                    // Ctrl-C: stop cleanly
                }
            }
            return 0;
        });
        return command;
    }
}
