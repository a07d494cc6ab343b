using System.Collections.Frozen;
using Envoy.Config.Cluster.V3;
using Envoy.Config.Endpoint.V3;
using Envoy.Config.Listener.V3;
using Envoy.Config.Route.V3;
using Rigging.Proxy.Clusters;
using Rigging.Proxy.Listeners;
using Rigging.Proxy.Routing;
using Rigging.Proxy.Security;
using Rigging.Proxy.Security.Tls;
using Rigging.Xds.Cache;
using Envoy.Extensions.TransportSockets.Tls.V3;

namespace Rigging.Proxy.Config;

/// <summary>
/// Compiles a whole set of xDS resources into models, or fails with the first resource it cannot apply (the
/// update is then NACKed and the last good snapshot keeps serving). Pure: touches no runtime state.
/// </summary>
internal static class SnapshotCompiler
{
    public static CompiledConfig Compile(XdsResources resources)
    {
        var assignments = new Dictionary<string, ClusterLoadAssignment>(StringComparer.Ordinal);
        foreach (var cla in resources.Get<ClusterLoadAssignment>(TypeUrls.ClusterLoadAssignment)) assignments[cla.ClusterName] = cla;

        var clusters = new Dictionary<string, ClusterModel>(StringComparer.Ordinal);
        foreach (var cluster in resources.Get<Cluster>(TypeUrls.Cluster))
        {
            if (!clusters.TryAdd(cluster.Name, ClusterCompiler.Compile(cluster, assignments)))
                throw new ConfigException($"Cluster {cluster.Name}: two clusters have this name");
        }

        var routes = new Dictionary<string, RouteTable>(StringComparer.Ordinal);
        foreach (var route in resources.Get<RouteConfiguration>(TypeUrls.RouteConfiguration))
        {
            if (!routes.TryAdd(route.Name, RouteCompiler.Compile(route)))
                throw new ConfigException($"RouteConfiguration {route.Name}: two route configurations have this name");
        }

        var listeners = new Dictionary<string, ListenerModel>(StringComparer.Ordinal);
        var bound = new Dictionary<System.Net.IPEndPoint, string>();
        foreach (var listener in resources.Get<Listener>(TypeUrls.Listener))
        {
            // API listeners are for proxyless gRPC clients; a proxy binds none.
            if (listener.ApiListener is not null) continue;
            var model = ListenerCompiler.Compile(listener);
            if (!listeners.TryAdd(model.Name, model)) throw new ConfigException($"Listener {listener.Name}: two listeners have this name");
            if (model.Endpoint.Port != 0 && !bound.TryAdd(model.Endpoint, model.Name))
                throw new ConfigException($"Listener {listener.Name}: {model.Endpoint} is already used by listener {bound[model.Endpoint]}");
        }

        var secrets = new Dictionary<string, SecretModel>(StringComparer.Ordinal);
        foreach (var secret in resources.Get<Secret>(TypeUrls.Secret))
        {
            if (!secrets.TryAdd(secret.Name, SecretCompiler.Compile(secret)))
                throw new ConfigException($"Secret {secret.Name}: two secrets have this name");
        }

        return new CompiledConfig(
            resources,
            listeners.ToFrozenDictionary(StringComparer.Ordinal),
            routes.ToFrozenDictionary(StringComparer.Ordinal),
            clusters)
        {
            Secrets = secrets,
            SecretNames = SecretNames(listeners.Values, clusters.Values),
        };
    }

    /// <summary>The SDS names the compiled listeners and clusters refer to, sorted (the proxy subscribes to them).</summary>
    private static IReadOnlyList<string> SecretNames(IEnumerable<ListenerModel> listeners, IEnumerable<ClusterModel> clusters)
    {
        var names = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var listener in listeners)
        {
            foreach (var chain in listener.Chains) Collect(chain, names);
            if (listener.DefaultChain is { } fallback) Collect(fallback, names);
        }
        foreach (var cluster in clusters) names.UnionWith(cluster.SdsSecretNames);
        return [.. names];
    }

    private static void Collect(FilterChainModel chain, SortedSet<string> names)
    {
        if (chain.Tls is { } tls) TlsContextCompiler.CollectSecretNames(tls.Validation, tls.Certificates, names);
    }
}

/// <summary>The output of <see cref="SnapshotCompiler"/>, before cluster models meet their runtime states.</summary>
internal sealed record CompiledConfig(
    XdsResources Resources,
    FrozenDictionary<string, ListenerModel> Listeners,
    FrozenDictionary<string, RouteTable> Routes,
    IReadOnlyDictionary<string, ClusterModel> Clusters)
{
    /// <summary>SDS secrets that arrived over ADS, compiled.</summary>
    public IReadOnlyDictionary<string, SecretModel> Secrets { get; init; } = new Dictionary<string, SecretModel>();

    /// <summary>The SDS names listeners and clusters refer to.</summary>
    public IReadOnlyList<string> SecretNames { get; init; } = [];
}
