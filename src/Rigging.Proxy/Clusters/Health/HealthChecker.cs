using System.Collections.Immutable;
using System.Net;

namespace Rigging.Proxy.Clusters.Health;

/// <summary>
/// Active HTTP health checking for one cluster: every interval (on the injected clock) each endpoint gets a GET of
/// the configured path; an answer in expected_statuses within the timeout passes. Results move
/// <see cref="EndpointState.FailedHealthCheck"/> through the unhealthy and healthy thresholds. Rounds never
/// overlap; a round that is still running when the timer fires is not doubled.
/// </summary>
public sealed class HealthChecker : IDisposable
{
    private readonly HealthCheckConfig _config;
    private readonly Func<ImmutableArray<EndpointState>> _endpoints;
    private readonly Action<EndpointState> _passed;
    private readonly TimeProvider _time;
    private readonly HttpMessageInvoker _client;
    private readonly CancellationTokenSource _stop = new();
    private readonly ITimer _timer;
    private int _running;

    internal HealthChecker(HealthCheckConfig config, Func<ImmutableArray<EndpointState>> endpoints, Action<EndpointState> passed, TimeProvider time)
    {
        _config = config;
        _endpoints = endpoints;
        _passed = passed;
        _time = time;
        _client = new HttpMessageInvoker(new SocketsHttpHandler
        {
            UseProxy = false,
            AllowAutoRedirect = false,
            AutomaticDecompression = DecompressionMethods.None,
            UseCookies = false,
            ConnectTimeout = config.Timeout,
            // Envoy reuses the health check connection (reuse_connection defaults to true).
            PooledConnectionIdleTimeout = config.Interval + config.Interval,
            ActivityHeadersPropagator = null,
        }, disposeHandler: true);
        _timer = time.CreateTimer(static state => ((HealthChecker)state!).Tick(), this, TimeSpan.Zero, config.Interval);
    }

    public HealthCheckConfig Config => _config;

    /// <summary>Checks now (new endpoints should not wait a whole interval to be admitted).</summary>
    internal void CheckSoon() => _timer.Change(TimeSpan.Zero, _config.Interval);

    private void Tick()
    {
        if (_stop.IsCancellationRequested || Interlocked.Exchange(ref _running, 1) == 1) return;
        _ = RunRoundAsync();
    }

    private async Task RunRoundAsync()
    {
        try
        {
            var endpoints = _endpoints();
            var checks = new Task[endpoints.Length];
            for (var i = 0; i < endpoints.Length; i++) checks[i] = CheckAsync(endpoints[i]);
            await Task.WhenAll(checks).ConfigureAwait(false);
        }
        finally
        {
            Volatile.Write(ref _running, 0);
        }
    }

    private async Task CheckAsync(EndpointState endpoint)
    {
        var passed = await ProbeAsync(endpoint).ConfigureAwait(false);
        if (_stop.IsCancellationRequested) return;
        endpoint.RecordHealthCheck(passed, _config);
        if (passed) _passed(endpoint);
    }

    private async Task<bool> ProbeAsync(EndpointState endpoint)
    {
        using var timeout = new CancellationTokenSource(_config.Timeout, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token, _stop.Token);
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, new Uri($"http://{endpoint.Config.Key}{_config.Path}"));
            request.Headers.Host = _config.Host;
            request.Headers.TryAddWithoutValidation("user-agent", "Envoy/HC");
            using var response = await _client.SendAsync(request, linked.Token).ConfigureAwait(false);
            return _config.IsExpected((int)response.StatusCode);
        }
        catch (Exception e) when (e is HttpRequestException or OperationCanceledException or ObjectDisposedException)
        {
            return false;
        }
    }

    public void Dispose()
    {
        _stop.Cancel();
        _timer.Dispose();
        _client.Dispose();
        _stop.Dispose();
    }
}
