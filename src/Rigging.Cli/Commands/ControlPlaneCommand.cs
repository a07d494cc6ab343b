using System.CommandLine;
using Microsoft.Extensions.Logging;
using Rigging.ControlPlane;
using Rigging.ControlPlane.Translation;

namespace Rigging.Cli.Commands;

/// <summary>
/// <c>rig control-plane --config DIR [--xds-tls-port 15012 --state DIR --cacerts DIR --trust-domain TD]</c>: serves
/// xDS from the config in DIR until Ctrl-C; with the TLS port, also the CA and bootstrap tokens (docs/security.md).
/// </summary>
internal static class ControlPlaneCommand
{
    public static Command Create()
    {
        var config = new Option<string>("--config", "-c") { Description = "Directory of YAML/JSON resources (watched; created if missing)", Required = true };
        var xdsPort = new Option<int>("--xds-port") { Description = "ADS (gRPC) port", DefaultValueFactory = _ => 15010 };
        var httpPort = new Option<int>("--http-port") { Description = "HTTP port: /ready, /metrics, /debug/*, resources API", DefaultValueFactory = _ => 15014 };
        var grace = new Option<double>("--registration-grace") { Description = "Seconds a self-registered workload stays after its proxy disconnects", DefaultValueFactory = _ => 10 };
        var verbose = new Option<bool>("--verbose", "-v") { Description = "Debug logs" };
        var xdsTlsPort = new Option<int?>("--xds-tls-port") { Description = "xDS TLS port serving ADS and the CA (Istio's 15012; 0 picks a free one). Turns the CA on; --state/--cacerts/--trust-domain alone turn it on at 15012" };
        var state = new Option<string?>("--state") { Description = "CA state directory: root-cert.pem, root-key.pem and token-key (0600). Default: <config>/../.rig-state" };
        var cacerts = new Option<string?>("--cacerts") { Description = "Plug-in CA in Istio's cacerts layout: ca-cert.pem, ca-key.pem, root-cert.pem, cert-chain.pem" };
        var trustDomain = new Option<string?>("--trust-domain") { Description = "SPIFFE trust domain of issued certificates (default cluster.local)" };
        var meshConfig = new Option<string?>("--mesh-config") { Description = "Istio MeshConfig YAML (the istio ConfigMap's `mesh` key): rootNamespace, outboundTrafficPolicy.mode, extensionProviders (envoyExtAuthzHttp for CUSTOM policies)" };

        var command = new Command("control-plane", "Run the control plane: watch config, register proxies, push xDS, and (with --xds-tls-port) issue certificates")
        {
            config, xdsPort, httpPort, grace, verbose, xdsTlsPort, state, cacerts, trustDomain, meshConfig,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            using var loggers = LoggerFactory.Create(b => b
                .AddSimpleConsole(o =>
                {
                    o.SingleLine = true;
                    o.TimestampFormat = "HH:mm:ss.fff ";
                })
                .SetMinimumLevel(parse.GetValue(verbose) ? LogLevel.Debug : LogLevel.Information));
            var securityAsked = parse.GetValue(state) is not null || parse.GetValue(cacerts) is not null || parse.GetValue(trustDomain) is not null;
            var tlsPort = parse.GetValue(xdsTlsPort) ?? (securityAsked ? 15012 : null);
            if (tlsPort is < 0 or > 65535)
            {
                await Console.Error.WriteLineAsync($"rig control-plane: --xds-tls-port {tlsPort} must be 0-65535");
                return 2;
            }
            var mesh = MeshSettings.Default;
            if (parse.GetValue(meshConfig) is { } meshFile)
            {
                var errors = new List<string>();
                try
                {
                    mesh = MeshConfigReader.Read(await File.ReadAllTextAsync(meshFile, cancellationToken), mesh, errors);
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    errors.Add(e.Message);
                }
                if (errors.Count > 0)
                {
                    foreach (var error in errors) await Console.Error.WriteLineAsync($"rig control-plane: {meshFile}: {error}");
                    return 2;
                }
            }
            ControlPlaneHost host;
            try
            {
                host = await ControlPlaneHost.StartAsync(new ControlPlaneOptions
                {
                    ConfigDirectory = parse.GetValue(config)!,
                    XdsPort = parse.GetValue(xdsPort),
                    HttpPort = parse.GetValue(httpPort),
                    RegistrationGracePeriod = TimeSpan.FromSeconds(parse.GetValue(grace)),
                    XdsTlsPort = tlsPort,
                    StateDirectory = parse.GetValue(state),
                    CaCertsDirectory = parse.GetValue(cacerts),
                    TrustDomain = parse.GetValue(trustDomain) ?? "cluster.local",
                    Mesh = mesh,
                    LoggerFactory = loggers,
                }, cancellationToken);
            }
            catch (Exception e) when (e is IOException or InvalidOperationException or UnauthorizedAccessException or System.Security.Cryptography.CryptographicException)
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
