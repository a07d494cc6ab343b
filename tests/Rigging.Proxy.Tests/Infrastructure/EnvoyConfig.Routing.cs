using Envoy.Config.Core.V3;
using Envoy.Config.Listener.V3;
using Envoy.Config.Route.V3;
using Envoy.Extensions.Filters.Http.Fault.V3;
using Envoy.Extensions.Filters.Network.HttpConnectionManager.V3;
using Envoy.Type.Matcher.V3;
using Envoy.Type.V3;
using Google.Protobuf.WellKnownTypes;
using CommonFault = Envoy.Extensions.Filters.Common.Fault.V3;
using FilterCors = Envoy.Extensions.Filters.Http.Cors.V3;

namespace Rigging.Proxy.Tests.Infrastructure;

/// <summary>Builders for routing, fault and CORS tests.</summary>
internal static partial class EnvoyConfig
{
    public const string FaultFilterName = "envoy.filters.http.fault";
    public const string CorsFilterName = "envoy.filters.http.cors";

    /// <summary>A route that answers directly with 200 and <paramref name="body"/> (which route matched).</summary>
    public static Route Answer(RouteMatch match, string body) => new()
    {
        Match = match,
        DirectResponse = new DirectResponseAction { Status = 200, Body = new DataSource { InlineString = body } },
    };

    public static RouteMatch MatchPrefix(string prefix, params HeaderMatcher[] headers)
    {
        var match = new RouteMatch { Prefix = prefix };
        match.Headers.AddRange(headers);
        return match;
    }

    public static VirtualHost Host(string name, string[] domains, params Route[] routes)
    {
        var host = new VirtualHost { Name = name };
        host.Domains.AddRange(domains);
        host.Routes.AddRange(routes);
        return host;
    }

    public static RouteConfiguration RouteConfig(string name, params VirtualHost[] hosts)
    {
        var config = new RouteConfiguration { Name = name };
        config.VirtualHosts.AddRange(hosts);
        return config;
    }

    public static HeaderValueOption Header(string name, string value, HeaderValueOption.Types.HeaderAppendAction action) =>
        new() { Header = new HeaderValue { Key = name, Value = value }, AppendAction = action };

    public static FractionalPercent Percent(uint numerator) => new() { Numerator = numerator, Denominator = FractionalPercent.Types.DenominatorType.Hundred };

    public static HttpFilter FaultFilter(HTTPFault? config = null) =>
        new() { Name = FaultFilterName, TypedConfig = Any.Pack(config ?? new HTTPFault()) };

    public static HttpFilter CorsFilter() => new() { Name = CorsFilterName, TypedConfig = Any.Pack(new FilterCors.Cors()) };

    public static HTTPFault Abort(uint status, uint percent) =>
        new() { Abort = new FaultAbort { HttpStatus = status, Percentage = Percent(percent) } };

    public static HTTPFault HeaderControlled() => new()
    {
        Abort = new FaultAbort { HeaderAbort = new FaultAbort.Types.HeaderAbort(), Percentage = Percent(100) },
        Delay = new CommonFault.FaultDelay { HeaderDelay = new CommonFault.FaultDelay.Types.HeaderDelay(), Percentage = Percent(100) },
    };

    public static HTTPFault FixedDelay(TimeSpan delay, uint percent) =>
        new() { Delay = new CommonFault.FaultDelay { FixedDelay = Duration.FromTimeSpan(delay), Percentage = Percent(percent) } };

    public static FilterCors.CorsPolicy Cors(string origin, string? methods = null, string? headers = null, string? expose = null, string? maxAge = null, bool? credentials = null)
    {
        var policy = new FilterCors.CorsPolicy
        {
            AllowMethods = methods ?? "",
            AllowHeaders = headers ?? "",
            ExposeHeaders = expose ?? "",
            MaxAge = maxAge ?? "",
            AllowCredentials = credentials,
        };
        policy.AllowOriginStringMatch.Add(new StringMatcher { Exact = origin });
        return policy;
    }

    /// <summary>A listener on <paramref name="port"/> with the given filters (then the router) and routes from RDS "r".</summary>
    public static Listener FilteredListener(int port, params HttpFilter[] filters) => HttpListener("ingress", port, "r", filters);
}
