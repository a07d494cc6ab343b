namespace Rigging.Proxy.Http.Filters.Jwt;

/// <summary>
/// remote_jwks of one provider: the shared <see cref="JwksEndpoint"/> for its URI (whose cache outlives config
/// snapshots) read with this provider's cache_duration and http_uri.timeout.
/// </summary>
public sealed class RemoteJwks(JwksEndpoint endpoint, TimeSpan cacheDuration, TimeSpan timeout) : IJwksSource
{
    /// <summary>Envoy's default cache_duration (10 minutes) when the config names none.</summary>
    public static readonly TimeSpan DefaultCacheDuration = TimeSpan.FromMinutes(10);

    /// <summary>http_uri.timeout is required by Envoy; 1 s when absent here.</summary>
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(1);

    public JwksEndpoint Endpoint => endpoint;

    public TimeSpan CacheDuration => cacheDuration;

    public TimeSpan Timeout => timeout;

    public JwtStatus UnavailableStatus => JwtStatus.JwksFetchFail;

    public ValueTask<JwksKeySet?> KeysAsync(string? kid, TimeProvider time, CancellationToken cancel) =>
        endpoint.KeysAsync(kid, cacheDuration, timeout, time, cancel);
}
