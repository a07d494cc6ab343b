using System.Diagnostics;

namespace Rigging.E2E.Tests.Infrastructure;

/// <summary>Bounded waits: poll until a probe holds or the time is up (then say what was waited for).</summary>
internal static class Bounded
{
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(150);

    /// <summary>Polls <paramref name="probe"/> until true; returns how long it took, or throws naming <paramref name="what"/>.</summary>
    /// <param name="detail">What the probe last saw, for the timeout's message.</param>
    public static async Task<TimeSpan> WaitAsync(string what, TimeSpan timeout, Func<Task<bool>> probe, Func<string>? detail = null)
    {
        var clock = Stopwatch.StartNew();
        var attempts = (int)(timeout / Interval) + 1;
        Exception? last = null;
        for (var attempt = 0; attempt < attempts && clock.Elapsed < timeout; attempt++)
        {
            try
            {
                if (await probe()) return clock.Elapsed;
            }
            catch (Exception e) when (e is HttpRequestException or OperationCanceledException or IOException or System.Text.Json.JsonException)
            {
                last = e;
            }
            await Task.Delay(Interval);
        }
        throw new TimeoutException($"{what}: not true within {timeout.TotalSeconds:0.#} s" + (last is null ? "" : $" (last error: {last.Message})") + (detail is null ? "" : "; " + detail()));
    }
}
