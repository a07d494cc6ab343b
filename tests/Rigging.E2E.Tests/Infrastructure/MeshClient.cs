using System.Diagnostics;
using System.Net;
using System.Text.Json;

namespace Rigging.E2E.Tests.Infrastructure;

/// <summary>One answer seen by the client: status (0 when no answer came), body, and time taken.</summary>
internal sealed record MeshAnswer(int Status, string Body, TimeSpan Elapsed)
{
    public bool Ok => Status is >= 200 and < 300;

    /// <summary>The version a bookinfo reply names at a path of calls, e.g. () for the callee, ("reviews") for its reviews call.</summary>
    public string? Version(params string[] calls) => Reply(calls) is { } reply && reply.TryGetProperty("version", out var v) ? v.GetString() : null;

    /// <summary>The status a bookinfo reply reports for a downstream call, e.g. ("reviews", "ratings").</summary>
    public int? CallStatus(params string[] calls) => Reply(calls) is { } reply && reply.TryGetProperty("status", out var s) ? s.GetInt32() : null;

    private JsonElement? Reply(string[] calls)
    {
        if (!Ok) return null;
        try
        {
            var element = JsonDocument.Parse(Body).RootElement;
            foreach (var service in calls)
            {
                JsonElement? next = null;
                foreach (var call in element.GetProperty("calls").EnumerateArray())
                {
                    if (call.GetProperty("service").GetString() == service) next = call;
                }
                if (next is null) return null;
                element = next.Value;
            }
            return element;
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            return null;
        }
    }
}

/// <summary>
/// The tests' side of the mesh: plain HTTP through a client workload's outbound port used as an HTTP proxy,
/// exactly as the sample app calls its dependencies (absolute-form requests to http://service:9080/...).
/// </summary>
internal sealed class MeshClient : IDisposable
{
    private static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(10);
    private readonly HttpMessageInvoker _client;

    public MeshClient(int outboundPort)
    {
        _client = new HttpMessageInvoker(new SocketsHttpHandler
        {
            Proxy = new WebProxy($"http://127.0.0.1:{outboundPort}") { BypassProxyOnLocal = false },
            UseProxy = true,
            AllowAutoRedirect = false,
            UseCookies = false,
            MaxConnectionsPerServer = 64,
            ConnectTimeout = TimeSpan.FromSeconds(3),
        });
    }

    /// <summary>GET http://SERVICE:9080/PATH with optional headers; never throws for a failed exchange (status 0).</summary>
    public async Task<MeshAnswer> GetAsync(string service, string path, params (string Name, string Value)[] headers)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"http://{service}:9080{path}");
        foreach (var (name, value) in headers) request.Headers.TryAddWithoutValidation(name, value);
        using var timeout = new CancellationTokenSource(RequestTimeout);
        var clock = Stopwatch.StartNew();
        try
        {
            using var response = await _client.SendAsync(request, timeout.Token);
            var body = await response.Content.ReadAsStringAsync(timeout.Token);
            return new MeshAnswer((int)response.StatusCode, body, clock.Elapsed);
        }
        catch (Exception e) when (e is HttpRequestException or OperationCanceledException or IOException)
        {
            return new MeshAnswer(0, e.Message, clock.Elapsed);
        }
    }

    public void Dispose() => _client.Dispose();
}
