using System.Globalization;
using System.Text.Json;

namespace Rigging.ControlPlane.Bench;

/// <summary>
/// The control plane under test, in its own process so its memory is its own: a ControlPlaneHost over the config
/// directory. Stdout: "READY xdsPort httpPort"; stdin: "stats" answers one "STATS {json}" line, "quit" stops.
/// </summary>
internal static class ServeMode
{
    public static async Task<int> RunAsync(string directory, TimeSpan configDebounce, TimeSpan pushQuiet, bool leadingEdge)
    {
        await using var host = await ControlPlaneHost.StartAsync(new ControlPlaneOptions
        {
            ConfigDirectory = directory,
            XdsPort = 0,
            HttpPort = 0,
            ConfigDebounce = configDebounce,
            PushQuietPeriod = pushQuiet,
            PushLeadingEdge = leadingEdge,
            RegistrationGracePeriod = TimeSpan.FromMinutes(5),
        });
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"READY {host.XdsPort} {host.HttpPort}"));
        while (await Console.In.ReadLineAsync() is { } line)
        {
            if (line == "quit") break;
            if (line == "cpu")
            {
                // CPU time so far (user + system, every thread) and GC pauses, without the forced collection "stats" makes.
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"CPU {Environment.CpuUsage.TotalTime.TotalMilliseconds:0.0} {GC.GetTotalPauseDuration().TotalMilliseconds:0.0} {GC.CollectionCount(2)}"));
                continue;
            }
            if (line != "stats") continue;
            var last = host.Pusher.LastStats;
            var metrics = host.Pusher.Metrics;
            var stats = new ServerStats(
                GC.GetTotalMemory(forceFullCollection: true),
                GC.GetGCMemoryInfo().HeapSizeBytes,
                ProcFs.RssBytes(Environment.ProcessId),
                metrics.Pushes,
                metrics.Generations,
                metrics.EndpointGenerations,
                last?.ToString() ?? "",
                last?.Views ?? 0,
                last?.TotalMilliseconds ?? 0,
                last?.ContextMilliseconds ?? 0,
                last?.GenerateMilliseconds ?? 0,
                last?.SetMilliseconds ?? 0,
                last?.StartedTimestamp ?? 0,
                last?.FinishedTimestamp ?? 0,
                host.Store.Snapshot.Resources.Length,
                host.Store.Errors.Count,
                LastSent(host, Rigging.Xds.Cache.TypeUrls.RouteConfiguration),
                LastSent(host, Rigging.Xds.Cache.TypeUrls.ClusterLoadAssignment));
            Console.WriteLine("STATS " + JsonSerializer.Serialize(stats));
        }
        return 0;
    }

    /// <summary>When the last response of a type went to any stream, as a Stopwatch timestamp like the push's.</summary>
    private static long LastSent(ControlPlaneHost host, string typeUrl)
    {
        var last = host.Cache.GetStatuses().Select(s => s.Types.GetValueOrDefault(typeUrl)?.SentAt).Max();
        if (last is not { } sentAt) return 0;
        var ago = TimeProvider.System.GetUtcNow() - sentAt;
        return System.Diagnostics.Stopwatch.GetTimestamp() - (long)(ago.TotalSeconds * System.Diagnostics.Stopwatch.Frequency);
    }
}

/// <summary>What the control-plane process reports about itself.</summary>
internal sealed record ServerStats(
    long LiveManagedBytes, long GcHeapBytes, long RssBytes, long Pushes, long Generations, long EndpointGenerations,
    string LastPush, int LastPushViews, double LastPushMs, double LastPushContextMs, double LastPushGenerateMs, double LastPushSetMs,
    long LastPushStarted, long LastPushFinished,
    int Resources, int ConfigErrors, long LastRouteSent, long LastEndpointSent);
