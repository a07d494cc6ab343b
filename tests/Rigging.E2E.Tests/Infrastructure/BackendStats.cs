using System.Text.Json;

namespace Rigging.E2E.Tests.Infrastructure;

/// <summary>What a python backend saw, asked on its app port directly (GET /_stats, not through the mesh).</summary>
internal sealed record BackendStats(int Requests, IReadOnlyList<string> Attempts)
{
    private static readonly HttpClient Http = new(new SocketsHttpHandler { UseProxy = false }) { Timeout = TimeSpan.FromSeconds(3) };

    public static async Task<BackendStats> ReadAsync(MeshWorkload workload)
    {
        using var doc = JsonDocument.Parse(await Http.GetStringAsync(new Uri($"http://127.0.0.1:{workload.AppPort}/_stats")));
        var root = doc.RootElement;
        return new BackendStats(
            root.GetProperty("requests").GetInt32(),
            [.. root.GetProperty("attempts").EnumerateArray().Select(a => a.GetString() ?? "")]);
    }
}
