using FluentAssertions;
using Google.Protobuf;
using Rigging.Api.Validation;
using Rigging.ControlPlane.Config.Secrets;
using Rigging.ControlPlane.Model;
using Rigging.ControlPlane.Registry;
using Rigging.ControlPlane.Translation;
using Rigging.Proxy.Config;
using Rigging.Xds.Cache;

namespace Rigging.ControlPlane.Tests.Security.Mtls;

/// <summary>
/// Builds a push from YAML and instances, translates for a proxy, and compiles the result with the proxy's own
/// <see cref="SnapshotCompiler"/> (as Simulation/ does): a field the proxy refuses fails the test.
/// </summary>
internal sealed class MtlsMesh
{
    private MtlsMesh(PushContext push) => Push = push;

    public PushContext Push { get; }

    public static MtlsMesh Load(string yaml, IEnumerable<WorkloadInstance>? instances = null, MeshSettings? mesh = null, CredentialSet? credentials = null)
    {
        var loaded = ConfigValidator.ValidateText("test.yaml", yaml);
        loaded.HasErrors.Should().BeFalse(string.Join('\n', loaded.Diagnostics));
        var all = (instances ?? []).Concat(ServiceDiscovery.Instances(loaded.Resources));
        var push = new PushContext(loaded.Resources, ServiceDiscovery.Services(loaded.Resources), all, mesh)
        {
            Credentials = credentials ?? CredentialSet.Empty,
        };
        return new MtlsMesh(push);
    }

    public static ProxyView Sidecar(string ns, string app, int appPort = 9080, string serviceAccount = "default") => new()
    {
        NodeId = $"sidecar~10.0.0.9~{app}.{ns}~{ns}.svc.cluster.local",
        Kind = ProxyKind.Sidecar,
        Namespace = ns,
        Workload = app,
        Labels = System.Collections.Immutable.ImmutableDictionary<string, string>.Empty.Add("app", app),
        ServiceAccount = serviceAccount,
        Address = "10.0.0.9",
        InboundPort = 15006,
        AppPort = appPort,
        OutboundPort = 15001,
    };

    public static ProxyView Gateway(string name = "ingressgateway") => new()
    {
        NodeId = $"router~10.0.1.1~{name}.istio-system~istio-system.svc.cluster.local",
        Kind = ProxyKind.Gateway,
        Namespace = "istio-system",
        Workload = name,
        Labels = System.Collections.Immutable.ImmutableDictionary<string, string>.Empty.Add("istio", "ingressgateway"),
        Address = "10.0.1.1",
    };

    public static WorkloadInstance Instance(string ns, string app, string address, bool sidecar, string serviceAccount = "default", string? version = null)
    {
        var labels = System.Collections.Immutable.ImmutableDictionary<string, string>.Empty.Add("app", app);
        if (version is not null) labels = labels.Add("version", version);
        return new WorkloadInstance
        {
            Name = $"{app}-{address}",
            Namespace = ns,
            Address = address,
            Labels = labels,
            ServiceAccount = serviceAccount,
            InboundPort = sidecar ? 15006 : null,
        };
    }

    public IReadOnlyList<IMessage> Generate(ProxyView proxy) => ProxyGenerator.Generate(proxy, Push);

    /// <summary>Translates, checks snapshot consistency and compiles with the proxy's compiler.</summary>
    public (IReadOnlyList<IMessage> Resources, CompiledConfig Compiled) Compile(ProxyView proxy)
    {
        var resources = Generate(proxy);
        var snapshot = Snapshot.Create(resources);
        snapshot.CheckConsistency().Should().BeEmpty();
        var xds = XdsResources.Empty;
        foreach (var type in snapshot.TypeUrls)
        {
            var set = snapshot.Get(type);
            xds = xds.With(type, set.Version, [.. set.Resources.Values.Select(r => r.Message)]);
        }
        return (resources, SnapshotCompiler.Compile(xds));
    }
}
