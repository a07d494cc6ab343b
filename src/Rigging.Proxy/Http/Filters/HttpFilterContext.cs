using Microsoft.AspNetCore.Http;
using Rigging.Proxy.Routing;
using Rigging.Proxy.Telemetry;

namespace Rigging.Proxy.Http.Filters;

/// <summary>
/// What filters see of one request: the request, its route and chosen cluster, the proxy's random source and
/// clock (injected, so tests are deterministic), and response flags a filter adds without answering (DI).
/// Allocated once per request, only on connection managers that have filters.
/// </summary>
public sealed class HttpFilterContext(HttpContext http, RouteModel route, string? cluster, Random random, TimeProvider time)
{
    public HttpContext Http { get; } = http;

    public RouteModel Route { get; } = route;

    /// <summary>The cluster the router will use (after a weighted pick); null for redirects and direct responses.</summary>
    public string? Cluster { get; } = cluster;

    /// <summary>The proxy's injected random source; draw through <see cref="NextInt"/> and <see cref="NextDouble"/>.</summary>
    public Random Random { get; } = random;

    public TimeProvider Time { get; } = time;

    public ResponseFlags Flags { get; set; }

    /// <summary>The proxy's counters (null in tests that run a filter alone); filters count under <see cref="StatPrefix"/>.</summary>
    public ProxyStats? Stats { get; init; }

    /// <summary>The connection manager's stat_prefix (Envoy's http.&lt;stat_prefix&gt;.* filter stats).</summary>
    public string StatPrefix { get; init; } = "";

    /// <summary>A draw in [0, max): a seeded Random (tests) is not thread-safe, so it is drawn under its lock, as the balancers do.</summary>
    public int NextInt(int max) => SafeRandom.Next(Random, max);

    /// <summary>A draw in [0, 1), thread-safe as <see cref="NextInt"/>.</summary>
    public double NextDouble() => SafeRandom.NextDouble(Random);

    /// <summary>The route's per-filter config for <paramref name="name"/> when it is a <typeparamref name="T"/>.</summary>
    public T? RouteConfig<T>(string name) where T : class =>
        Route.FilterConfigs.TryGetValue(name, out var config) ? config as T : null;
}
