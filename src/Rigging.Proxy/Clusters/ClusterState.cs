using System.Collections.Frozen;
using System.Collections.Immutable;
using System.Net;
using Rigging.Proxy.Clusters.LoadBalancing;

namespace Rigging.Proxy.Clusters;

/// <summary>
/// The long-lived holder of one cluster: the current <see cref="ClusterModel"/>, its endpoints' states and their
/// balancer behind one volatile reference; the HTTP client (one connection pool per endpoint) to reach them; the
/// circuit breaker counters, outlier detector and health checker (ClusterState.*.cs).
/// </summary>
public sealed partial class ClusterState : IDisposable
{
    private readonly RandomSource _random;
    private readonly TimeProvider _time;
    private volatile Current _current;

    public ClusterState(ClusterModel model, Random random, TimeProvider? time = null, Security.SecretStore? secrets = null, Telemetry.ProxyStats? stats = null)
    {
        _random = new RandomSource(random);
        _time = time ?? TimeProvider.System;
        _secrets = secrets ?? new Security.SecretStore();
        _stats = stats;
        _tlsPrefix = "cluster." + model.Name;
        Name = model.Name;
        Invoker = CreateInvoker(model);
        _current = Build(model, []);
        ApplyPolicies(null, model);
        ApplyOriginalDestination(model);
    }

    public string Name { get; }

    public ClusterModel Model => _current.Model;

    public ImmutableArray<EndpointState> Endpoints => _current.Set.All;

    /// <summary>The endpoint set the current balancer runs over (and whether it is in panic).</summary>
    public EndpointSet EndpointSet => _current.Set;

    public ClusterStats Stats { get; } = new();

    /// <summary>Sends requests upstream; SocketsHttpHandler keeps a pool per endpoint (per URI authority).</summary>
    public HttpMessageInvoker Invoker { get; private set; }

    public EndpointState? Pick(in LoadBalancerContext context) => _current.Balancer.Pick(context);

    /// <summary>Applies a new model: endpoints that stay keep their state; the swap is one reference write.</summary>
    internal void Update(ClusterModel model)
    {
        var previous = _current;
        if (ReferenceEquals(previous.Model, model) || previous.Model == model) return;
        var states = new Dictionary<string, EndpointState>(previous.Set.Count, StringComparer.Ordinal);
        foreach (var endpoint in previous.Set.All) states[endpoint.Config.Key] = endpoint;
        if (previous.Model.ConnectTimeout != model.ConnectTimeout || previous.Model.IdleTimeout != model.IdleTimeout
            || previous.Model.MaxConnectionDuration != model.MaxConnectionDuration
            || previous.Model.CircuitBreakers.MaxConnections != model.CircuitBreakers.MaxConnections
            || previous.Model.Http2 != model.Http2 || previous.Model.UseDownstreamProtocol != model.UseDownstreamProtocol || !SameTransportSockets(previous.Model, model))
        {
            var old = Invoker;
            Invoker = CreateInvoker(model);
            _ = DisposeLaterAsync(old);
        }
        _current = Build(model, states);
        ApplyPolicies(previous.Model, model);
        ApplyOriginalDestination(model);
    }

    private Current Build(ClusterModel model, Dictionary<string, EndpointState> existing)
    {
        var endpoints = ImmutableArray.CreateBuilder<EndpointState>(model.Endpoints.Length);
        var added = false;
        foreach (var config in model.Endpoints)
        {
            if (existing.TryGetValue(config.Key, out var state))
            {
                state.Config = config;
            }
            else
            {
                state = new EndpointState(config);
                if (model.HealthCheck is not null) state.StartHealthChecking();
                added = true;
            }
            state.Detector = _outlier;
            endpoints.Add(state);
        }
        if (added) _health?.CheckSoon();
        var set = new EndpointSet(endpoints.MoveToImmutable(), model.Balancing.PanicThresholdPercent);
        // Tables (ring, maglev, schedule) are built here, once per endpoint set, never per request.
        return new Current(model, set, LoadBalancers.Create(model, set, _random), TlsByEndpoint(model));
    }

    private HttpMessageInvoker CreateInvoker(ClusterModel model) => new(new SocketsHttpHandler
    {
        // Only a cluster with TLS endpoints makes its own connections (plaintext ones keep the handler's own path).
        ConnectCallback = HasTls(model) ? ConnectAsync : null,
        UseProxy = false,
        AllowAutoRedirect = false,
        AutomaticDecompression = DecompressionMethods.None,
        UseCookies = false,
        EnableMultipleHttp2Connections = true,
        ConnectTimeout = model.ConnectTimeout,
        PooledConnectionIdleTimeout = model.IdleTimeout,
        PooledConnectionLifetime = model.MaxConnectionDuration ?? Timeout.InfiniteTimeSpan,
        // circuit_breakers max_connections: the pool is per endpoint, the breaker per cluster (ClusterState.Requests.cs).
        MaxConnectionsPerServer = (int)Math.Min(int.MaxValue, model.CircuitBreakers.MaxConnections),
        ActivityHeadersPropagator = null,
        // HTTP allows obs-text (bytes 0x80-0xFF) in header values; the downstream side reads them as Latin-1, so the
        // upstream side writes them back the same way instead of refusing the request.
        RequestHeaderEncodingSelector = static (_, _) => System.Text.Encoding.Latin1,
        ResponseHeaderEncodingSelector = static (_, _) => System.Text.Encoding.Latin1,
    }, disposeHandler: true);

    // Requests in flight on the old client finish before it goes.
    private static async Task DisposeLaterAsync(HttpMessageInvoker invoker)
    {
        await Task.Delay(TimeSpan.FromMinutes(1)).ConfigureAwait(false);
        invoker.Dispose();
    }

    public void Dispose()
    {
        _health?.Dispose();
        _outlier?.Dispose();
        OriginalDestinations?.Dispose();
        Invoker.Dispose();
    }

    private sealed record Current(ClusterModel Model, EndpointSet Set, ILoadBalancer Balancer, FrozenDictionary<string, Security.Tls.UpstreamTlsModel>? Tls);
}
