using System.Collections.Immutable;
using System.Net;
using Rigging.Proxy.Clusters.LoadBalancing;

namespace Rigging.Proxy.Clusters;

/// <summary>
/// The long-lived holder of one cluster: the current <see cref="ClusterModel"/> and its endpoints' states behind
/// one volatile reference, and the HTTP client (one connection pool per endpoint) to reach them.
/// </summary>
public sealed partial class ClusterState : IDisposable
{
    private readonly Random _random;
    private volatile Current _current;

    public ClusterState(ClusterModel model, Random random)
    {
        _random = random;
        Name = model.Name;
        Invoker = CreateInvoker(model);
        _current = Build(model, []);
    }

    public string Name { get; }

    public ClusterModel Model => _current.Model;

    public ImmutableArray<EndpointState> Endpoints => _current.Endpoints;

    /// <summary>Sends requests upstream; SocketsHttpHandler keeps a pool per endpoint (per URI authority).</summary>
    public HttpMessageInvoker Invoker { get; private set; }

    public EndpointState? Pick(in LoadBalancerContext context) => _current.Balancer.Pick(context);

    /// <summary>Applies a new model: endpoints that stay keep their state; the swap is one reference write.</summary>
    internal void Update(ClusterModel model)
    {
        var previous = _current;
        if (ReferenceEquals(previous.Model, model) || previous.Model == model) return;
        var states = previous.Endpoints.ToDictionary(e => e.Config.Key, StringComparer.Ordinal);
        if (previous.Model.ConnectTimeout != model.ConnectTimeout || previous.Model.IdleTimeout != model.IdleTimeout)
        {
            var old = Invoker;
            Invoker = CreateInvoker(model);
            _ = DisposeLaterAsync(old);
        }
        _current = Build(model, states);
    }

    private Current Build(ClusterModel model, Dictionary<string, EndpointState> existing)
    {
        var endpoints = ImmutableArray.CreateBuilder<EndpointState>(model.Endpoints.Length);
        foreach (var config in model.Endpoints)
        {
            if (existing.TryGetValue(config.Key, out var state)) state.Config = config;
            else state = new EndpointState(config);
            endpoints.Add(state);
        }
        var set = endpoints.MoveToImmutable();
        return new Current(model, set, LoadBalancers.Create(model.Policy, set, _random));
    }

    private static HttpMessageInvoker CreateInvoker(ClusterModel model) => new(new SocketsHttpHandler
    {
        UseProxy = false,
        AllowAutoRedirect = false,
        AutomaticDecompression = DecompressionMethods.None,
        UseCookies = false,
        EnableMultipleHttp2Connections = true,
        ConnectTimeout = model.ConnectTimeout,
        PooledConnectionIdleTimeout = model.IdleTimeout,
        ActivityHeadersPropagator = null,
    }, disposeHandler: true);

    // Requests in flight on the old client finish before it goes.
    private static async Task DisposeLaterAsync(HttpMessageInvoker invoker)
    {
        await Task.Delay(TimeSpan.FromMinutes(1)).ConfigureAwait(false);
        invoker.Dispose();
    }

    public void Dispose() => Invoker.Dispose();

    private sealed record Current(ClusterModel Model, ImmutableArray<EndpointState> Endpoints, ILoadBalancer Balancer);
}
