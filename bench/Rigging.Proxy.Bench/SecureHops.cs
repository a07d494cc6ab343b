using Envoy.Config.Cluster.V3;
using Envoy.Config.Core.V3;
using Envoy.Config.Listener.V3;
using Envoy.Extensions.Filters.Network.HttpConnectionManager.V3;
using Envoy.Extensions.TransportSockets.Tls.V3;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;

namespace Rigging.Proxy.Bench;

/// <summary>
/// The plaintext hops' config (<see cref="RigProxies.Resources"/>) plus the mesh's security from
/// <see cref="MeshSecurity"/>, and nothing else, so "security cost" compares like with like: the client hop
/// originates mutual TLS to the server hop (auto mTLS on its endpoint), the server hop terminates it, requires a
/// mesh client certificate, sets XFCC and runs the AuthorizationPolicy's RBAC before its router. Each proxy gets
/// its certificate and the root as SDS secrets over ADS, as a proxy without a local agent does.
/// </summary>
internal static class SecureHops
{
    public static IMessage[] Client(string name, int port, int serverPort, MeshSecurity security, BenchCertificates certificates)
    {
        var resources = RigProxies.Resources(name, port, serverPort);
        var cluster = resources.OfType<Cluster>().Single();
        cluster.TransportSocketMatches.AddRange(security.ClientTransportSocketMatches);
        cluster.LoadAssignment.Endpoints[0].LbEndpoints[0].Metadata = security.ClientEndpointMetadata.Clone();
        return [.. resources, .. Secrets(certificates.Client, certificates.RootPem)];
    }

    public static IMessage[] Server(string name, int port, int appPort, MeshSecurity security, BenchCertificates certificates)
    {
        var resources = RigProxies.Resources(name, port, appPort);
        var chain = resources.OfType<Listener>().Single().FilterChains.Single();
        chain.FilterChainMatch = security.ServerChainMatch.Clone();
        chain.TransportSocket = security.ServerTransportSocket.Clone();
        var filter = chain.Filters.Single();
        var hcm = filter.TypedConfig.Unpack<HttpConnectionManager>();
        hcm.ForwardClientCertDetails = security.ServerForwardClientCert;
        hcm.SetCurrentClientCertDetails = security.ServerSetClientCert?.Clone();
        // Policy before the router, as the mesh orders them.
        var router = hcm.HttpFilters.Single();
        hcm.HttpFilters.Clear();
        hcm.HttpFilters.AddRange(security.ServerPolicyFilters.Select(f => f.Clone()));
        hcm.HttpFilters.Add(router);
        filter.TypedConfig = Any.Pack(hcm);
        return [.. resources, .. Secrets(certificates.Server, certificates.RootPem)];
    }

    /// <summary>The SDS secrets a proxy without a local agent gets over ADS: its certificate ("default") and the root ("ROOTCA").</summary>
    private static IMessage[] Secrets(WorkloadCertificate identity, string rootPem) =>
    [
        new Secret
        {
            Name = "default",
            TlsCertificate = new TlsCertificate
            {
                CertificateChain = new DataSource { InlineString = identity.CertificatePem },
                PrivateKey = new DataSource { InlineString = identity.KeyPem },
            },
        },
        new Secret
        {
            Name = "ROOTCA",
            ValidationContext = new CertificateValidationContext { TrustedCa = new DataSource { InlineString = rootPem } },
        },
    ];
}
