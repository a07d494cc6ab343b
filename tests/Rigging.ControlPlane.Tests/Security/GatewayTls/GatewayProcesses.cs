using Rigging.Proxy;

namespace Rigging.ControlPlane.Tests.Security.GatewayTls;

/// <summary>A real control plane (with its CA) over a config directory, and an ingress gateway proxy it programs.</summary>
internal static class GatewayProcesses
{
    public static async Task<(ControlPlaneHost ControlPlane, ProxyHost Gateway)> StartAsync(string configDirectory, string stateDirectory)
    {
        var host = await ControlPlaneHost.StartAsync(new ControlPlaneOptions
        {
            ConfigDirectory = configDirectory,
            StateDirectory = stateDirectory,
            XdsPort = 0,
            HttpPort = 0,
            XdsTlsPort = 0,
        });
        var gateway = await ProxyHost.StartAsync(new ProxyOptions
        {
            Xds = host.XdsTlsAddress!,
            NodeId = "router~127.0.0.1~ingressgateway-1.istio-system~istio-system.svc.cluster.local",
            Workload = "ingressgateway",
            Namespace = "istio-system",
            ServiceAccount = "ingressgateway",
            Labels = new Dictionary<string, string> { ["istio"] = "ingressgateway" },
            AdminPort = 0,
            Token = host.Tokens!.Issue("istio-system", "ingressgateway", TimeSpan.FromHours(1)).Token,
            RootCertFile = host.CertificateAuthority!.RootCertificatePath,
        });
        return (host, gateway);
    }
}
