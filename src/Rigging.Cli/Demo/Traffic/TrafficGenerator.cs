using System.Diagnostics;
using System.Globalization;

namespace Rigging.Cli.Demo.Traffic;

/// <summary>
/// Steady traffic to productpage: one GET every 1/rate seconds (a third of them as <c>end-user: jason</c>), at
/// most <see cref="MaxInFlight"/> at once, each with its own x-request-id. Every answer, and every downstream
/// answer productpage reports, goes into <see cref="TrafficStats"/>. The client sends through the loadgen proxy
/// on 127.0.0.1.
/// </summary>
internal sealed class TrafficGenerator(HttpMessageInvoker client, Uri productpage, TrafficStats stats, TimeProvider time, int rate)
{
    public const int MaxInFlight = 64;
    public const string Host = "productpage:9080";
    private static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(15);
    private int _inFlight;
    private long _sent;
    private long _skipped;

    public long Sent => Interlocked.Read(ref _sent);

    /// <summary>Ticks skipped because <see cref="MaxInFlight"/> requests were still waiting.</summary>
    public long Skipped => Interlocked.Read(ref _skipped);

    /// <summary>Sends until <paramref name="duration"/> has passed (null: a day) or <paramref name="cancel"/> fires.</summary>
    public async Task RunAsync(TimeSpan? duration, CancellationToken cancel)
    {
        var limit = duration ?? TimeSpan.FromDays(1);
        var ticks = (long)(limit.TotalSeconds * rate) + 1;
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1.0 / rate), time);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancel);
        var clock = Stopwatch.StartNew();
        var pending = new List<Task>();
        try
        {
            for (long i = 0; i < ticks && clock.Elapsed < limit; i++)
            {
                if (!await timer.WaitForNextTickAsync(cancel)) break;
                if (Volatile.Read(ref _inFlight) >= MaxInFlight)
                {
                    Interlocked.Increment(ref _skipped);
                    continue;
                }
                Interlocked.Increment(ref _inFlight);
                pending.Add(SendAndRecordAsync(i, stop.Token));
                if (pending.Count > 4 * MaxInFlight) pending.RemoveAll(t => t.IsCompleted);
            }
        }
        catch (OperationCanceledException) when (cancel.IsCancellationRequested)
        {
            // Stopped by the user.
        }
        // At the end of a timed run, let what is in flight finish briefly; then cancel it (not counted).
        if (!cancel.IsCancellationRequested)
        {
            await Task.WhenAny(Task.WhenAll(pending), Task.Delay(TimeSpan.FromSeconds(2), CancellationToken.None));
        }
        await stop.CancelAsync();
        await Task.WhenAll(pending);
    }

    /// <summary>One request that must succeed end to end (productpage, details, reviews and what reviews called).</summary>
    public async Task<bool> ProbeAsync(CancellationToken cancel)
    {
        var downstream = new List<Outcome>();
        var top = await SendAsync(0, downstream, cancel);
        return top.Success && downstream.Count >= 2 && downstream.TrueForAll(o => o.Success);
    }

    /// <summary>
    /// One unrecorded request per workload to its service through the mesh, all at once: the first request
    /// through a cold proxy or app costs seconds, which would otherwise show as the run's p99. Reviews v2 and v3
    /// call ratings, so their outbound paths warm up too.
    /// </summary>
    /// <param name="via">Another client for these requests (e.g. one without the loadgen proxy, straight to inbound ports).</param>
    public async Task WarmUpAsync(IEnumerable<(Uri Url, string Host)> workloads, CancellationToken cancel, HttpMessageInvoker? via = null)
    {
        var sender = via ?? client;
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancel);
        timeout.CancelAfter(RequestTimeout);
        await Task.WhenAll(workloads.Select(async w =>
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, w.Url);
            request.Headers.Host = w.Host;
            try
            {
                using var response = await sender.SendAsync(request, timeout.Token);
                await response.Content.ReadAsByteArrayAsync(timeout.Token);
            }
            catch (Exception e) when (e is HttpRequestException or OperationCanceledException or IOException)
            {
                // Only warming up: the traffic that follows is what counts.
            }
        }));
    }

    private async Task SendAndRecordAsync(long sequence, CancellationToken cancel)
    {
        try
        {
            var downstream = new List<Outcome>(4);
            var top = await SendAsync(sequence, downstream, cancel);
            if (cancel.IsCancellationRequested) return;
            Interlocked.Increment(ref _sent);
            stats.Record(top);
            foreach (var outcome in downstream) stats.Record(outcome);
        }
        finally
        {
            Interlocked.Decrement(ref _inFlight);
        }
    }

    private async Task<Outcome> SendAsync(long sequence, List<Outcome> downstream, CancellationToken cancel)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, productpage);
        request.Headers.Host = Host;
        request.Headers.TryAddWithoutValidation("x-request-id", $"demo-{sequence.ToString(CultureInfo.InvariantCulture)}-{Guid.NewGuid():N}");
        if (sequence % 3 == 2) request.Headers.TryAddWithoutValidation("end-user", "jason");
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancel);
        timeout.CancelAfter(RequestTimeout);
        var started = time.GetTimestamp();
        try
        {
            using var response = await client.SendAsync(request, timeout.Token);
            var body = await response.Content.ReadAsByteArrayAsync(timeout.Token);
            var ms = time.GetElapsedTime(started).TotalMilliseconds;
            var version = response.IsSuccessStatusCode ? ReplyReader.Read(body, downstream) : null;
            var ok = response.IsSuccessStatusCode && version is not null;
            return new Outcome("productpage", ok ? version! : ReplyReader.Unknown, ok, ms);
        }
        catch (Exception e) when (e is HttpRequestException or OperationCanceledException or IOException)
        {
            return new Outcome("productpage", ReplyReader.Unknown, false, time.GetElapsedTime(started).TotalMilliseconds);
        }
    }
}
