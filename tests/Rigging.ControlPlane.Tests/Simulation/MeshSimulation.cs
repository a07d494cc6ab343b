using System.Collections.Immutable;
using Microsoft.AspNetCore.Http;
using Rigging.Api.Kubernetes;
using Rigging.Api.Loading;
using Rigging.Api.Model;
using Rigging.ControlPlane.Model;
using Rigging.ControlPlane.Registry;
using Rigging.ControlPlane.Translation;
using Rigging.Proxy.Config;
using Rigging.Proxy.Routing;
using Rigging.Xds.Cache;

namespace Rigging.ControlPlane.Tests.Simulation;

/// <summary>
/// Istio-style simulation: load config YAML, register one instance per Deployment, translate for a workload's
/// proxy, compile that xDS with the proxy's own compiler, and send a described request through the proxy's own
/// route matcher to see where it lands. No second implementation of routing.
/// </summary>
internal sealed class MeshSimulation
{
    private readonly PushContext _push;
    private readonly Dictionary<string, ProxyView> _proxies = new(StringComparer.Ordinal);

    private MeshSimulation(PushContext push, IEnumerable<ProxyView> proxies)
    {
        _push = push;
        foreach (var proxy in proxies) _proxies[proxy.Workload] = proxy;
    }

    public PushContext Push => _push;

    public static MeshSimulation Load(params string[] paths)
    {
        var loaded = ConfigLoader.Load(paths.Select(Paths.Istio));
        var errors = loaded.Diagnostics.Where(d => d.Severity == Rigging.Api.Diagnostics.Severity.Error).ToList();
        if (errors.Count > 0) throw new InvalidOperationException(string.Join('\n', errors));
        var instances = new List<WorkloadInstance>();
        var proxies = new List<ProxyView>();
        var address = 10;
        foreach (var deployment in loaded.Resources.Where(r => r.Spec is DeploymentSpec))
        {
            var spec = (DeploymentSpec)deployment.Spec!;
            var labels = (spec.Template?.Metadata?.Labels ?? new Dictionary<string, string>()).ToImmutableDictionary();
            var ip = $"10.0.0.{address++}";
            instances.Add(new WorkloadInstance { Name = deployment.Name, Namespace = deployment.Namespace, Address = ip, Labels = labels, InboundPort = 15006 });
            proxies.Add(new ProxyView
            {
                NodeId = $"sidecar~{ip}~{deployment.Name}.{deployment.Namespace}~{deployment.Namespace}.svc.cluster.local",
                Kind = ProxyKind.Sidecar,
                Namespace = deployment.Namespace,
                Workload = deployment.Name,
                Labels = labels,
                Address = ip,
                InboundPort = 15006,
                AppPort = 9080,
                OutboundPort = 15001,
            });
        }
        var push = new PushContext(loaded.Resources, ServiceDiscovery.Services(loaded.Resources), instances.Concat(ServiceDiscovery.Instances(loaded.Resources)));
        return new MeshSimulation(push, proxies);
    }

    public ProxyView Proxy(string workload) => _proxies[workload];

    /// <summary>Adds an ingress gateway proxy with the given labels (Istio's is istio=ingressgateway).</summary>
    public MeshSimulation WithGateway(string name, IReadOnlyDictionary<string, string> labels)
    {
        _proxies[name] = new ProxyView
        {
            NodeId = $"router~10.0.1.1~{name}.istio-system~istio-system.svc.cluster.local",
            Kind = ProxyKind.Gateway,
            Namespace = "istio-system",
            Workload = name,
            Labels = labels.ToImmutableDictionary(),
            Address = "10.0.1.1",
        };
        return this;
    }

    /// <summary>The xDS for a workload's proxy, as a snapshot (which also checks its consistency).</summary>
    public Snapshot SnapshotFor(string workload) => Snapshot.Create(ProxyGenerator.Generate(Proxy(workload), _push));

    /// <summary>Sends a request from a workload through its outbound listener's routes; returns where it lands.</summary>
    public Landing Send(string fromWorkload, string url, IReadOnlyDictionary<string, string>? headers = null, string method = "GET")
    {
        var proxy = Proxy(fromWorkload);
        var snapshot = SnapshotFor(fromWorkload);
        var resources = XdsResources.Empty;
        foreach (var type in snapshot.TypeUrls)
        {
            var set = snapshot.Get(type);
            resources = resources.With(type, set.Version, [.. set.Resources.Values.Select(r => r.Message)]);
        }
        var compiled = SnapshotCompiler.Compile(resources);
        var uri = new Uri(url);
        var tableName = proxy.Kind == ProxyKind.Gateway
            ? $"http.{uri.Port}"
            : (proxy.OutboundPort ?? 15001).ToString(System.Globalization.CultureInfo.InvariantCulture);
        var table = compiled.Routes[tableName];

        var context = new DefaultHttpContext();
        context.Request.Method = method;
        context.Request.Host = new HostString(uri.IsDefaultPort ? uri.Host : $"{uri.Host}:{uri.Port}");
        context.Request.Path = uri.AbsolutePath;
        context.Request.QueryString = new QueryString(uri.Query);
        foreach (var (name, value) in headers ?? new Dictionary<string, string>()) context.Request.Headers[name] = value;

        var vhost = table.FindVirtualHost(context.Request.Host.Value!);
        var route = vhost?.Match(context.Request);
        return new Landing(vhost?.Name, route, compiled.Clusters);
    }
}

/// <summary>Where a simulated request landed: the virtual host, the route and its action.</summary>
internal sealed record Landing(string? VirtualHost, RouteModel? Route, IReadOnlyDictionary<string, Rigging.Proxy.Clusters.ClusterModel> Clusters)
{
    public ForwardAction Forward => Route?.Action as ForwardAction ?? throw new InvalidOperationException($"not forwarded: {Route?.Action}");

    /// <summary>The clusters and weights the request is split over.</summary>
    public IReadOnlyList<(string Cluster, uint Weight)> Split => [.. Forward.Clusters.Clusters];

    public string Cluster => Split.Count == 1 ? Split[0].Cluster : throw new InvalidOperationException($"split over {Split.Count} clusters");
}
