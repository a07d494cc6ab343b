using Envoy.Extensions.Filters.Network.HttpConnectionManager.V3;
using Rigging.Proxy.Listeners;

namespace Rigging.Proxy.Config;

/// <summary>
/// HTTP filters by name → their compiled config. Unknown filters are refused unless marked optional, as Envoy
/// does, so a control plane learns at once (by NACK) that the proxy cannot enforce what it asked for.
/// </summary>
internal static class HttpFilterCompiler
{
    public const string Router = "envoy.filters.http.router";

    public static HttpFilterConfig Compile(HttpFilter filter, string where) => filter.Name switch
    {
        Router => new HttpFilterConfig(Router, null),
        _ when filter.IsOptional => new HttpFilterConfig(filter.Name, null),
        _ => throw new ConfigException($"{where}: HTTP filter {filter.Name} is not supported"),
    };
}
