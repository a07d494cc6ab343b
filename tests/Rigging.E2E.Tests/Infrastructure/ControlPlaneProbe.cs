using System.Net.Http.Json;
using System.Text.Json;

namespace Rigging.E2E.Tests.Infrastructure;

/// <summary>Reads the control plane's debug pages: /ready, /debug/registryz, /debug/syncz.</summary>
internal sealed class ControlPlaneProbe(int httpPort) : IDisposable
{
    private readonly HttpClient _http = new(new SocketsHttpHandler { UseProxy = false }) { Timeout = TimeSpan.FromSeconds(3) };

    public Uri Url(string path) => new($"http://127.0.0.1:{httpPort}{path}");

    public async Task<bool> ReadyAsync()
    {
        using var response = await _http.GetAsync(Url("/ready"));
        return response.IsSuccessStatusCode;
    }

    /// <summary>The workload names the registry lists as instances.</summary>
    public async Task<HashSet<string>> InstancesAsync()
    {
        using var doc = JsonDocument.Parse(await _http.GetStringAsync(Url("/debug/registryz")));
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var instance in doc.RootElement.GetProperty("instances").EnumerateArray())
        {
            if (instance.TryGetProperty("name", out var name) && name.GetString() is { } value) names.Add(value);
        }
        return names;
    }

    /// <summary>Per proxy id: per xDS type, (sent, acked) versions.</summary>
    public async Task<Dictionary<string, Dictionary<string, (string? Sent, string? Acked)>>> SynczAsync()
    {
        using var doc = JsonDocument.Parse(await _http.GetStringAsync(Url("/debug/syncz")));
        var proxies = new Dictionary<string, Dictionary<string, (string?, string?)>>(StringComparer.Ordinal);
        foreach (var proxy in doc.RootElement.EnumerateArray())
        {
            if (proxy.GetProperty("connectedStreams").GetInt32() == 0) continue;
            var types = new Dictionary<string, (string?, string?)>(StringComparer.Ordinal);
            foreach (var type in proxy.GetProperty("types").EnumerateArray())
            {
                types[type.GetProperty("type").GetString()!] = (Text(type, "sent"), Text(type, "acked"));
            }
            proxies[proxy.GetProperty("proxy").GetString()!] = types;
        }
        return proxies;
    }

    /// <summary>The route (RDS) version each connected proxy was sent.</summary>
    public async Task<Dictionary<string, string?>> RouteVersionsAsync()
    {
        var result = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (var (proxy, types) in await SynczAsync())
        {
            result[proxy] = types.TryGetValue("RouteConfiguration", out var route) ? route.Sent : null;
        }
        return result;
    }

    /// <summary>True when every connected proxy has ACKed every type it was sent.</summary>
    public async Task<bool> AllSyncedAsync()
    {
        var syncz = await SynczAsync();
        return syncz.Count > 0 && syncz.Values.All(types => types.Values.All(t => t.Sent is not null && t.Sent == t.Acked));
    }

    /// <summary>A bootstrap token for default/<paramref name="serviceAccount"/> (the tokens API serves loopback callers).</summary>
    public async Task<string> TokenAsync(string serviceAccount)
    {
        using var response = await _http.PostAsJsonAsync(Url("/apis/v1/tokens"),
            new Dictionary<string, string> { ["namespace"] = "default", ["serviceAccount"] = serviceAccount, ["ttl"] = "1h" });
        var text = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode) throw new InvalidOperationException($"POST /apis/v1/tokens: {(int)response.StatusCode} {text}");
        using var json = JsonDocument.Parse(text);
        return json.RootElement.GetProperty("token").GetString()!;
    }

    /// <summary>The raw text of a debug page (for failure reports).</summary>
    public async Task<string> PageAsync(string path)
    {
        try
        {
            return await _http.GetStringAsync(Url(path));
        }
        catch (Exception e) when (e is HttpRequestException or OperationCanceledException)
        {
            return $"({path}: {e.Message})";
        }
    }

    private static string? Text(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    public void Dispose() => _http.Dispose();
}
