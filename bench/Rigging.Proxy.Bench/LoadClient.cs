using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;

namespace Rigging.Proxy.Bench;

/// <summary>The three load shapes, each bounded in requests and time; latencies in milliseconds.</summary>
internal static partial class LoadClient
{
    private static HttpClient OneConnection() => new(new SocketsHttpHandler { UseProxy = false, MaxConnectionsPerServer = 1, PooledConnectionLifetime = Timeout.InfiniteTimeSpan });

    /// <summary>One connection, one request at a time: the pure per-request cost.</summary>
    public static async Task<Percentiles> ClosedLoopAsync(string url, int maxRequests, TimeSpan maxTime)
    {
        using var client = OneConnection();
        for (var i = 0; i < 300; i++) await GetAsync(client, url);
        var latencies = new List<double>(maxRequests);
        var clock = Stopwatch.StartNew();
        while (latencies.Count < maxRequests && clock.Elapsed < maxTime)
        {
            var started = Stopwatch.GetTimestamp();
            await GetAsync(client, url);
            latencies.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        }
        return Percentiles.Of(latencies);
    }

    /// <summary>A fixed rate spread over connections (Istio's method: 1000 req/s over 16 connections).</summary>
    public static async Task<(Percentiles Latency, int Requests)> FixedRateAsync(string url, int rate, int connections, TimeSpan duration)
    {
        var perConnection = (int)(rate * duration.TotalSeconds / connections);
        var interval = TimeSpan.FromSeconds((double)connections / rate);
        var results = new List<double>[connections];
        var start = Stopwatch.GetTimestamp();
        var workers = new Task[connections];
        for (var c = 0; c < connections; c++)
        {
            var index = c;
            results[c] = new List<double>(perConnection);
            workers[c] = Task.Run(async () =>
            {
                using var client = OneConnection();
                await GetAsync(client, url);
                // Connections are staggered so requests arrive evenly.
                var offset = interval * index / connections;
                for (var i = 0; i < perConnection; i++)
                {
                    var due = offset + interval * i;
                    var wait = due - Stopwatch.GetElapsedTime(start);
                    if (wait > TimeSpan.FromMilliseconds(1)) await Task.Delay(wait);
                    if (Stopwatch.GetElapsedTime(start) > duration + TimeSpan.FromSeconds(5)) break;
                    var sent = Stopwatch.GetTimestamp();
                    await GetAsync(client, url);
                    results[index].Add(Stopwatch.GetElapsedTime(sent).TotalMilliseconds);
                }
            });
        }
        await Task.WhenAll(workers);
        var all = results.SelectMany(r => r).ToList();
        return (Percentiles.Of(all), all.Count);
    }

    /// <summary>Maximum throughput with wrk (16 connections), or a closed loop over 16 connections without it.</summary>
    public static async Task<double> MaxThroughputAsync(string url, TimeSpan duration)
    {
        try
        {
            var start = new ProcessStartInfo("wrk", ["-t1", "-c16", $"-d{(int)duration.TotalSeconds}s", url]) { RedirectStandardOutput = true, UseShellExecute = false };
            using var wrk = Process.Start(start)!;
            var output = await wrk.StandardOutput.ReadToEndAsync();
            await wrk.WaitForExitAsync();
            var match = RequestsPerSecond().Match(output);
            if (match.Success) return double.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
        }
        catch (System.ComponentModel.Win32Exception)
        {
            // No wrk: fall back to our own client.
        }
        long count = 0;
        var clock = Stopwatch.StartNew();
        var loops = Enumerable.Range(0, 16).Select(_ => Task.Run(async () =>
        {
            using var client = OneConnection();
            while (clock.Elapsed < duration)
            {
                await GetAsync(client, url);
                Interlocked.Increment(ref count);
            }
        }));
        await Task.WhenAll(loops);
        return count / clock.Elapsed.TotalSeconds;
    }

    private static async Task GetAsync(HttpClient client, string url)
    {
        using var response = await client.GetAsync(url);
        var body = await response.Content.ReadAsByteArrayAsync();
        if (!response.IsSuccessStatusCode || body.Length != 1024) throw new InvalidOperationException($"{url}: {(int)response.StatusCode}, {body.Length} bytes");
    }

    [GeneratedRegex(@"Requests/sec:\s+([0-9.]+)")]
    private static partial Regex RequestsPerSecond();
}

/// <summary>p50/p90/p99 of a set of latencies (ms).</summary>
internal sealed record Percentiles(double P50, double P90, double P99, int Count)
{
    public static Percentiles Of(List<double> values)
    {
        if (values.Count == 0) return new Percentiles(0, 0, 0, 0);
        values.Sort();
        double At(double q) => values[Math.Min(values.Count - 1, (int)(q * values.Count))];
        return new Percentiles(At(0.50), At(0.90), At(0.99), values.Count);
    }
}
