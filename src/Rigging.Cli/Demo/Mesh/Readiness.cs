using System.Diagnostics;

namespace Rigging.Cli.Demo.Mesh;

/// <summary>Bounded waits: poll a probe until it holds, the time is up, a child has died, or the user stopped.</summary>
internal static class Readiness
{
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(200);

    public static async Task<ReadyOutcome> WaitAsync(
        Func<CancellationToken, Task<bool>> probe, TimeSpan timeout, Task died, CancellationToken cancel)
    {
        var clock = Stopwatch.StartNew();
        var attempts = (int)(timeout / Interval) + 1;
        for (var attempt = 0; attempt < attempts && clock.Elapsed < timeout; attempt++)
        {
            if (died.IsCompleted) return ReadyOutcome.ChildDied;
            if (cancel.IsCancellationRequested) return ReadyOutcome.Cancelled;
            try
            {
                if (await probe(cancel)) return ReadyOutcome.Ready;
            }
            catch (Exception e) when (e is HttpRequestException or OperationCanceledException or IOException)
            {
                // Not up yet.
            }
            try
            {
                await Task.WhenAny(Task.Delay(Interval, cancel), died);
            }
            catch (OperationCanceledException)
            {
                return ReadyOutcome.Cancelled;
            }
        }
        return died.IsCompleted ? ReadyOutcome.ChildDied : cancel.IsCancellationRequested ? ReadyOutcome.Cancelled : ReadyOutcome.TimedOut;
    }
}
