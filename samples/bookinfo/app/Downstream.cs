using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;

namespace Rigging.Samples.Bookinfo;

/// <summary>
/// Calls other services by their mesh names (http://reviews:9080/...) through the sidecar named by HTTP_PROXY,
/// forwarding the headers that routing and tracing need, and reports each call as a <see cref="CallResult"/>.
/// </summary>
public sealed class Downstream : IDisposable
{
    /// <summary>Headers copied from the incoming request to every downstream call (Istio's bookinfo forwards these).</summary>
    private static readonly string[] Forwarded =
    [
        "end-user", "x-request-id", "traceparent", "tracestate",
        "x-b3-traceid", "x-b3-spanid", "x-b3-parentspanid", "x-b3-sampled", "x-b3-flags",
    ];

    private readonly HttpClient _client;

    public Downstream(string? proxy)
    {
        var handler = new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            UseCookies = false,
            PooledConnectionIdleTimeout = TimeSpan.FromSeconds(30),
            ConnectTimeout = TimeSpan.FromSeconds(2),
        };
        if (proxy is not null)
        {
            // The explicit proxy: the default one would skip names listed in NO_PROXY and read the variables only once.
            handler.Proxy = new WebProxy(proxy.Contains("://", StringComparison.Ordinal) ? proxy : "http://" + proxy)
            {
                BypassProxyOnLocal = false,
            };
            handler.UseProxy = true;
        }
        else
        {
            handler.UseProxy = false;
        }
        _client = new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(10) };
    }

    /// <summary>The sidecar's outbound address from HTTP_PROXY or http_proxy, if any.</summary>
    public static string? ProxyFromEnvironment()
    {
        var value = Environment.GetEnvironmentVariable("HTTP_PROXY") ?? Environment.GetEnvironmentVariable("http_proxy");
        return string.IsNullOrWhiteSpace(value) ? null : value.Trim();
    }

    public async Task<CallResult> GetAsync(string service, string path, HttpRequest incoming, CancellationToken cancel)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"http://{service}:9080{path}");
        foreach (var name in Forwarded)
        {
            if (incoming.Headers.TryGetValue(name, out var values) && values.Count > 0)
            {
                request.Headers.TryAddWithoutValidation(name, values.ToString());
            }
        }
        var started = Stopwatch.GetTimestamp();
        try
        {
            using var response = await _client.SendAsync(request, HttpCompletionOption.ResponseContentRead, cancel);
            Reply? reply = null;
            if (response.IsSuccessStatusCode)
            {
                try
                {
                    reply = await response.Content.ReadFromJsonAsync(BookinfoJson.Default.Reply, cancel);
                }
                catch (System.Text.Json.JsonException)
                {
                    reply = null;
                }
            }
            return new CallResult(service, reply?.Version, (int)response.StatusCode, Elapsed(started), reply?.Calls ?? []);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException && !cancel.IsCancellationRequested)
        {
            return new CallResult(service, null, 0, Elapsed(started), []);
        }
    }

    private static double Elapsed(long started) => Math.Round(Stopwatch.GetElapsedTime(started).TotalMilliseconds, 2);

    public void Dispose() => _client.Dispose();
}
