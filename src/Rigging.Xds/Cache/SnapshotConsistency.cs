using Envoy.Config.Cluster.V3;
using Envoy.Config.Listener.V3;
using Envoy.Config.Route.V3;
using Envoy.Extensions.Filters.Network.HttpConnectionManager.V3;
using Envoy.Extensions.Filters.Network.TcpProxy.V3;
using Google.Protobuf.WellKnownTypes;
using Rigging.Xds.Protos;

namespace Rigging.Xds.Cache;

/// <summary>
/// Checks a snapshot before it is set: every RDS name a listener names, every cluster a route or TCP proxy
/// names, and every EDS service name a cluster names must be in the snapshot.
/// </summary>
internal static class SnapshotConsistency
{
    public static IReadOnlyList<string> Check(Snapshot snapshot)
    {
        var errors = new List<string>();
        var routes = snapshot.Get(TypeUrls.RouteConfiguration).Resources;
        var clusters = snapshot.Get(TypeUrls.Cluster).Resources;
        var endpoints = snapshot.Get(TypeUrls.ClusterLoadAssignment).Resources;

        foreach (var resource in snapshot.Get(TypeUrls.Listener).Resources.Values)
        {
            var listener = (Listener)resource.Message;
            foreach (var any in NetworkFilterConfigs(listener))
            {
                if (AnyPayload.TryUnpack<HttpConnectionManager>(any, out var hcm))
                {
                    if (hcm.Rds is { } rds && !routes.ContainsKey(rds.RouteConfigName))
                    {
                        errors.Add($"Listener '{listener.Name}': rds.route_config_name '{rds.RouteConfigName}' is not a RouteConfiguration in the snapshot.");
                    }

                    if (hcm.RouteConfig is { } inline)
                    {
                        CheckRoutes(inline, $"Listener '{listener.Name}' inline route_config", clusters, errors);
                    }
                }
                else if (AnyPayload.TryUnpack<TcpProxy>(any, out var tcp))
                {
                    foreach (string cluster in tcp.WeightedClusters?.Clusters.Select(c => c.Name) ?? [tcp.Cluster])
                    {
                        if (!clusters.ContainsKey(cluster))
                        {
                            errors.Add($"Listener '{listener.Name}': tcp_proxy cluster '{cluster}' is not a Cluster in the snapshot.");
                        }
                    }
                }
            }
        }

        foreach (var resource in routes.Values)
        {
            var route = (RouteConfiguration)resource.Message;
            CheckRoutes(route, $"RouteConfiguration '{route.Name}'", clusters, errors);
        }

        foreach (var resource in clusters.Values)
        {
            var cluster = (Cluster)resource.Message;
            if (cluster.Type == Cluster.Types.DiscoveryType.Eds)
            {
                string service = string.IsNullOrEmpty(cluster.EdsClusterConfig?.ServiceName) ? cluster.Name : cluster.EdsClusterConfig.ServiceName;
                if (!endpoints.ContainsKey(service))
                {
                    errors.Add($"Cluster '{cluster.Name}': EDS service '{service}' has no ClusterLoadAssignment in the snapshot.");
                }
            }
        }

        return errors;
    }

    /// <summary>The route tables named <paramref name="names"/> checked against the snapshot's clusters.</summary>
    public static IReadOnlyList<string> CheckRouteTables(Snapshot snapshot, IEnumerable<string> names)
    {
        var errors = new List<string>();
        var routes = snapshot.Get(TypeUrls.RouteConfiguration).Resources;
        var clusters = snapshot.Get(TypeUrls.Cluster).Resources;
        foreach (var name in names)
        {
            var route = (RouteConfiguration)routes[name].Message;
            CheckRoutes(route, $"RouteConfiguration '{route.Name}'", clusters, errors);
        }

        return errors;
    }

    private static IEnumerable<Any> NetworkFilterConfigs(Listener listener)
    {
        if (listener.ApiListener?.ApiListener_ is { } api)
        {
            yield return api;
        }

        var chains = listener.FilterChains.AsEnumerable();
        if (listener.DefaultFilterChain is { } fallback)
        {
            chains = chains.Append(fallback);
        }

        foreach (var chain in chains)
        {
            foreach (var filter in chain.Filters)
            {
                if (filter.TypedConfig is { } config)
                {
                    yield return config;
                }
            }
        }
    }

    private static void CheckRoutes(
        RouteConfiguration config, string where, IReadOnlyDictionary<string, CachedResource> clusters, List<string> errors)
    {
        foreach (var vhost in config.VirtualHosts)
        {
            foreach (var route in vhost.Routes)
            {
                if (route.Route_ is not { } action)
                {
                    continue;
                }

                // Plain loops: this runs over every route of every table a push sets.
                if (action.ClusterSpecifierCase == RouteAction.ClusterSpecifierOneofCase.Cluster)
                {
                    CheckCluster(action.Cluster, where, vhost, route, clusters, errors);
                }
                else if (action.ClusterSpecifierCase == RouteAction.ClusterSpecifierOneofCase.WeightedClusters)
                {
                    foreach (var weighted in action.WeightedClusters.Clusters) CheckCluster(weighted.Name, where, vhost, route, clusters, errors);
                }

                foreach (var mirror in action.RequestMirrorPolicies) CheckCluster(mirror.Cluster, where, vhost, route, clusters, errors);
            }
        }
    }

    private static void CheckCluster(
        string name, string where, VirtualHost vhost, Route route, IReadOnlyDictionary<string, CachedResource> clusters, List<string> errors)
    {
        if (!string.IsNullOrEmpty(name) && !clusters.ContainsKey(name))
        {
            errors.Add($"{where}, virtual host '{vhost.Name}', route '{route.Name}': cluster '{name}' is not a Cluster in the snapshot.");
        }
    }
}
