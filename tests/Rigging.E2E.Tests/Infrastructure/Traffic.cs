using System.Diagnostics;

namespace Rigging.E2E.Tests.Infrastructure;

/// <summary>One request of a load run: when it started (since the run began) and what came back.</summary>
internal sealed record TimedAnswer(TimeSpan Started, MeshAnswer Answer);

/// <summary>Bounded batches and steady load through the mesh client.</summary>
internal static class Traffic
{
    /// <summary>Sends <paramref name="count"/> requests, at most <paramref name="parallel"/> at once, and returns the answers in order.</summary>
    public static async Task<MeshAnswer[]> BatchAsync(int count, int parallel, Func<int, Task<MeshAnswer>> send)
    {
        var answers = new MeshAnswer[count];
        var next = -1;
        await Task.WhenAll(Enumerable.Range(0, parallel).Select(async _ =>
        {
            for (var i = Interlocked.Increment(ref next); i < count; i = Interlocked.Increment(ref next))
            {
                answers[i] = await send(i);
            }
        }));
        return answers;
    }

    /// <summary>
    /// One request every <paramref name="every"/> (not waiting for answers, at most 64 in flight) until
    /// <paramref name="stop"/> completes or <paramref name="limit"/> passes; returns every answer with its start time.
    /// </summary>
    public static async Task<List<TimedAnswer>> SteadyAsync(TimeSpan every, TimeSpan limit, Task stop, Func<Task<MeshAnswer>> send)
    {
        var clock = Stopwatch.StartNew();
        var pending = new List<Task<TimedAnswer>>();
        using var timer = new PeriodicTimer(every);
        var ticks = (int)(limit / every) + 1;
        for (var i = 0; i < ticks && !stop.IsCompleted && clock.Elapsed < limit; i++)
        {
            await timer.WaitForNextTickAsync();
            if (pending.Count(t => !t.IsCompleted) >= 64) continue;
            var started = clock.Elapsed;
            pending.Add(Timed(started, send));
        }
        return [.. await Task.WhenAll(pending)];
    }

    private static async Task<TimedAnswer> Timed(TimeSpan started, Func<Task<MeshAnswer>> send) => new(started, await send());
}
