using System.Collections.Concurrent;
using System.Net;

namespace Rigging.Proxy.Http.Filters.Jwt;

/// <summary>
/// The cached JWKS of one URI, shared by every provider and every config snapshot that names it (a config push
/// does not refetch). Fetches are single-flight: however many requests need keys, one GET is under way.
/// 1. fresh keys (younger than the provider's cache_duration) answer at once;
/// 2. a token whose kid the keys lack triggers one refetch, at most once per <see cref="KidRefetchInterval"/>,
///    so a key rotated in at the issuer is picked up without letting random kids hammer the server;
/// 3. missing or expired keys are fetched; after a failed fetch, requests for the next
///    <see cref="FailedRefetchDelay"/> get the stale keys (or none: 401) at once instead of waiting again;
/// 4. a fetch is bounded by http_uri.timeout and by <see cref="JwksKeySet.MaxDocumentLength"/>; a server that is
///    down or slow only costs the requests whose tokens need its keys, and never more than the timeout.
/// Envoy fetches through the cluster named in http_uri; this proxy calls the URI directly with its own HttpClient:
/// a key fetch is rare, goes to issuers usually outside the mesh (public HTTPS with the system trust store), and
/// must not depend on a cluster the control plane may not have sent. The cluster name is accepted and ignored.
/// </summary>
public sealed class JwksEndpoint(Uri uri)
{
    public static readonly TimeSpan KidRefetchInterval = TimeSpan.FromSeconds(10);

    /// <summary>Envoy's failed_refetch_duration default.</summary>
    public static readonly TimeSpan FailedRefetchDelay = TimeSpan.FromSeconds(1);

    private const int MaxShared = 1024;
    private static readonly ConcurrentDictionary<string, JwksEndpoint> Shared = new(StringComparer.Ordinal);
    private static readonly HttpClient Client = new(new SocketsHttpHandler
    {
        UseProxy = false,
        AllowAutoRedirect = false,
        UseCookies = false,
        AutomaticDecompression = DecompressionMethods.None,
        PooledConnectionLifetime = TimeSpan.FromMinutes(2),
    })
    {
        MaxResponseContentBufferSize = JwksKeySet.MaxDocumentLength,
        Timeout = System.Threading.Timeout.InfiniteTimeSpan,
    };

    private readonly Lock _gate = new();
    private volatile Entry? _current;
    private Task<Entry?>? _inflight;
    private DateTimeOffset _lastFailure = DateTimeOffset.MinValue;
    private DateTimeOffset _lastKidRefetch = DateTimeOffset.MinValue;
    private int _fetches;

    public Uri Uri => uri;

    /// <summary>GETs sent so far (the tests' and /stats' view of rate limiting).</summary>
    public int Fetches => Volatile.Read(ref _fetches);

    /// <summary>The endpoint for <paramref name="uri"/>, shared process-wide (bounded: past 1024 URIs each caller gets its own).</summary>
    public static JwksEndpoint For(Uri uri)
    {
        var key = uri.AbsoluteUri;
        if (Shared.TryGetValue(key, out var existing)) return existing;
        return Shared.Count >= MaxShared ? new JwksEndpoint(uri) : Shared.GetOrAdd(key, _ => new JwksEndpoint(uri));
    }

    public async ValueTask<JwksKeySet?> KeysAsync(string? kid, TimeSpan cacheDuration, TimeSpan timeout, TimeProvider time, CancellationToken cancel)
    {
        var now = time.GetUtcNow();
        var current = _current;
        Task<Entry?> fetch;
        lock (_gate)
        {
            if (current is not null && now - current.FetchedAt < cacheDuration)
            {
                if (current.Keys.HasKeyId(kid) || (_inflight is null && now - _lastKidRefetch < KidRefetchInterval)) return current.Keys;
                if (_inflight is null) _lastKidRefetch = now;
            }
            else if (_inflight is null && now - _lastFailure < FailedRefetchDelay)
            {
                return current?.Keys;
            }
            fetch = _inflight ??= FetchAsync(timeout, time);
        }
        var fetched = await fetch.WaitAsync(cancel).ConfigureAwait(false);
        return fetched?.Keys ?? current?.Keys;
    }

    private async Task<Entry?> FetchAsync(TimeSpan timeout, TimeProvider time)
    {
        // Leave the caller's lock and synchronization context before any I/O.
        await Task.Yield();
        Interlocked.Increment(ref _fetches);
        Entry? entry = null;
        try
        {
            using var deadline = new CancellationTokenSource(timeout, time);
            using var response = await Client.GetAsync(uri, deadline.Token).ConfigureAwait(false);
            if (response.IsSuccessStatusCode)
            {
                var body = await response.Content.ReadAsStringAsync(deadline.Token).ConfigureAwait(false);
                if (JwksKeySet.Parse(body) is { } keys) entry = new Entry(keys, time.GetUtcNow());
            }
        }
        catch (Exception)
        {
            // Down, slow, too large, refused or anything else: a fetch that fails for whatever reason must not
            // fail the requests waiting on it (they get the stale keys or a 401); the failure is remembered below.
        }
        lock (_gate)
        {
            if (entry is not null) _current = entry;
            else _lastFailure = time.GetUtcNow();
            _inflight = null;
        }
        return entry;
    }

    private sealed record Entry(JwksKeySet Keys, DateTimeOffset FetchedAt);
}
