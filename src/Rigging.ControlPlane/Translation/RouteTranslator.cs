using Envoy.Config.Core.V3;
using Envoy.Config.Route.V3;
using Google.Protobuf.WellKnownTypes;
using Rigging.Api.Model;
using Duration = Google.Protobuf.WellKnownTypes.Duration;
using Rigging.Api.Networking;
using Rigging.ControlPlane.Model;
using Rigging.ControlPlane.Registry;
using EnvoyRoute = Envoy.Config.Route.V3.Route;

namespace Rigging.ControlPlane.Translation;

/// <summary>
/// A VirtualService's HTTP routes → Envoy routes for one virtual host (one service port), seen from one proxy:
/// matches that do not apply (another port, source labels or namespace, gateway) are dropped; each remaining
/// match becomes a route with the rule's action.
/// </summary>
internal static partial class RouteTranslator
{
    public static IEnumerable<EnvoyRoute> Translate(Resource vsResource, VirtualService vs, RouteContext context)
    {
        foreach (var http in vs.Http ?? [])
        {
            if (http is null) continue;
            if (http.Delegate is { } delegation)
            {
                foreach (var route in Delegated(http, delegation, vsResource, context)) yield return route;
                continue;
            }
            var matches = Applicable(http.Match, context).ToList();
            if (http.Match is { Count: > 0 } && matches.Count == 0) continue;
            foreach (var match in matches.Count == 0 ? [(HttpMatchRequest?)null] : matches.Cast<HttpMatchRequest?>())
            {
                yield return Build(http, match, vsResource.Namespace, context);
            }
        }
    }

    /// <summary>The default route when no VirtualService applies: everything to the service's cluster.</summary>
    public static EnvoyRoute Default(ServiceModel service, int port, PushContext push, ProxyView proxy) => new()
    {
        Name = "default",
        Match = new RouteMatch { Prefix = "/" },
        Route_ = WithDefaults(new RouteAction { Cluster = ClusterNames.Outbound(service.Hostname, port) }, null, service, push, proxy),
    };

    private static IEnumerable<HttpMatchRequest> Applicable(IReadOnlyList<HttpMatchRequest>? matches, RouteContext context)
    {
        foreach (var match in matches ?? [])
        {
            if (match is null) continue;
            if (match.Port is { } port && port != context.Port) continue;
            if (match.SourceLabels is { } labels && !context.Proxy.Matches(labels)) continue;
            if (match.SourceNamespace is { } ns && ns != context.Proxy.Namespace) continue;
            if (match.Gateways is { Count: > 0 } gateways && !gateways.Contains(context.Gateway)) continue;
            yield return match;
        }
    }

    private static EnvoyRoute Build(HttpRoute http, HttpMatchRequest? match, string vsNamespace, RouteContext context)
    {
        var route = new EnvoyRoute { Name = http.Name ?? match?.Name ?? "", Match = MatchTranslator.Translate(match) };
        if (http.Redirect is { } redirect) route.Redirect = Redirect(redirect);
        else if (http.DirectResponse is { } direct) route.DirectResponse = Direct(direct);
        else route.Route_ = Action(http, match, vsNamespace, context);
        Headers(http.Headers, route.RequestHeadersToAdd, route.RequestHeadersToRemove, route.ResponseHeadersToAdd, route.ResponseHeadersToRemove);
        if (http.Fault is { } fault) route.TypedPerFilterConfig[FilterNames.Fault] = Any.Pack(FaultTranslator.Translate(fault));
        return route;
    }

    private static RouteAction Action(HttpRoute http, HttpMatchRequest? match, string vsNamespace, RouteContext context)
    {
        var destinations = (http.Route ?? []).Where(d => d?.Destination?.Host is not null).ToList();
        var action = new RouteAction();
        if (destinations.Count == 1)
        {
            action.Cluster = ClusterFor(destinations[0].Destination!, vsNamespace, context);
        }
        else
        {
            var weighted = new WeightedCluster();
            foreach (var destination in destinations)
            {
                var clusterWeight = new WeightedCluster.Types.ClusterWeight
                {
                    Name = ClusterFor(destination.Destination!, vsNamespace, context),
                    Weight = (uint)Math.Max(0, destination.Weight ?? 0),
                };
                Headers(destination.Headers, clusterWeight.RequestHeadersToAdd, clusterWeight.RequestHeadersToRemove, clusterWeight.ResponseHeadersToAdd, clusterWeight.ResponseHeadersToRemove);
                weighted.Clusters.Add(clusterWeight);
            }
            action.WeightedClusters = weighted;
        }
        if (http.Rewrite is { } rewrite)
        {
            if (rewrite.Uri is { } uri) action.PrefixRewrite = uri;
            if (rewrite.UriRegexRewrite is { Match: { } pattern } regex)
                action.RegexRewrite = new Envoy.Type.Matcher.V3.RegexMatchAndSubstitute { Pattern = new Envoy.Type.Matcher.V3.RegexMatcher { Regex = pattern }, Substitution = regex.Rewrite ?? "" };
            if (rewrite.Authority is { } authority) action.HostRewriteLiteral = authority;
        }
        foreach (var mirror in Mirrors(http))
        {
            action.RequestMirrorPolicies.Add(new RouteAction.Types.RequestMirrorPolicy
            {
                Cluster = ClusterFor(mirror.Destination, vsNamespace, context),
                RuntimeFraction = Fraction(mirror.Percent),
            });
        }
        if (http.CorsPolicy is { } cors) action.Cors = CorsTranslator.Translate(cors);
        var primary = destinations.Count > 0 ? context.Push.FindService(MeshDomain.Resolve(destinations[0].Destination!.Host!, vsNamespace)) : null;
        return WithDefaults(action, http, primary, context.Push, context.Proxy);
    }

    private static IEnumerable<(Destination Destination, double Percent)> Mirrors(HttpRoute http)
    {
        if (http.Mirror is { } mirror)
            yield return (mirror, http.MirrorPercentage?.Value ?? http.MirrorPercent ?? 100);
        foreach (var m in http.Mirrors ?? [])
        {
            if (m?.Destination is { } destination) yield return (destination, m.Percentage?.Value ?? 100);
        }
    }

    private static RuntimeFractionalPercent Fraction(double percent) => new()
    {
        DefaultValue = new Envoy.Type.V3.FractionalPercent
        {
            Numerator = (uint)Math.Round(Math.Clamp(percent, 0, 100) * 10_000),
            Denominator = Envoy.Type.V3.FractionalPercent.Types.DenominatorType.Million,
        },
    };

    /// <summary>
    /// The cluster a destination names: its host resolved in the VirtualService's namespace, its port (or the
    /// virtual host's port when the service has it, else the service's only port), its subset.
    /// </summary>
    private static string ClusterFor(Destination destination, string vsNamespace, RouteContext context)
    {
        var host = MeshDomain.Resolve(destination.Host!, vsNamespace);
        var service = context.Push.FindService(host);
        var port = destination.Port?.Number is { } explicitPort ? (int)explicitPort
            : service?.FindPort(context.Port) is not null || service is null ? context.Port
            : service.Ports.Length > 0 ? service.Ports[0].Port
            : context.Port;
        return ClusterNames.Outbound(host, port, destination.Subset);
    }
}
