using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using FluentAssertions;
using Microsoft.Extensions.Logging.Abstractions;
using Rigging.Proxy;

namespace Rigging.ControlPlane.Tests.Host;

/// <summary>An in-process sidecar in namespace default that gets its certificate from the control plane's CA (bootstrap token) and its config over the TLS xDS port.</summary>
internal static class SecureSidecar
{
    private static readonly TimeSpan ReadyWait = TimeSpan.FromSeconds(20);

    /// <summary>Starts it and waits (bounded) until it has a certificate and its first config.</summary>
    public static async Task<ProxyHost> StartAsync(ControlPlaneHost host, string workload, string serviceAccount, int? inbound, int? app, int outbound)
    {
        var proxy = await ProxyHost.StartAsync(new ProxyOptions
        {
            Xds = host.XdsTlsAddress!,
            NodeId = $"sidecar~127.0.0.1~{workload}-1.default~default.svc.cluster.local",
            Workload = workload,
            Namespace = "default",
            ServiceAccount = serviceAccount,
            Labels = new Dictionary<string, string> { ["app"] = workload },
            InboundPort = inbound,
            AppPort = app,
            OutboundPort = outbound,
            AdminPort = 0,
            Token = host.Tokens!.Issue("default", serviceAccount, TimeSpan.FromHours(1)).Token,
            RootCertFile = host.CertificateAuthority!.RootCertificatePath,
        }, loggers: NullLoggerFactory.Instance);
        var clock = Stopwatch.StartNew();
        while (!IsReady(proxy) && clock.Elapsed < ReadyWait) await Task.Delay(50);
        IsReady(proxy).Should().BeTrue($"proxy {workload} should get its certificate and config");
        return proxy;
    }

    public static int FreePort() => Rigging.Cli.Demo.Mesh.FreePorts.Take(1)[0];

    /// <summary>The mesh's config, one file in the control plane's watched directory under <paramref name="root"/>.</summary>
    public static string ConfigFile(string root) => Path.Combine(root, "config", "mesh.yaml");

    /// <summary>A control plane (CA and TLS xDS port on) watching <see cref="ConfigFile"/>, which starts as <paramref name="yaml"/>.</summary>
    public static async Task<ControlPlaneHost> StartControlPlaneAsync(string root, string yaml)
    {
        Directory.CreateDirectory(Path.Combine(root, "config"));
        await File.WriteAllTextAsync(ConfigFile(root), yaml);
        return await ControlPlaneHost.StartAsync(new ControlPlaneOptions
        {
            ConfigDirectory = Path.Combine(root, "config"),
            StateDirectory = Path.Combine(root, "state"),
            XdsPort = 0,
            HttpPort = 0,
            XdsTlsPort = 0,
        });
    }

    /// <summary>What the admin /ready answers LIVE for.</summary>
    private static bool IsReady(ProxyHost proxy) => proxy.State.Ready && !proxy.State.AwaitingCertificate && !proxy.State.Draining;
}
