using Rigging.Cli.Demo.Display;
using Rigging.Cli.Demo.Processes;
using Rigging.Cli.Demo.Traffic;
using Spectre.Console;

namespace Rigging.Cli.Demo;

/// <summary>Step 5: traffic and its display, until the duration, Ctrl-C, or a child's death.</summary>
internal sealed partial class DemoRunner
{
    private static readonly TimeSpan LiveRefresh = TimeSpan.FromMilliseconds(500);
    private static readonly TimeSpan ProgressEvery = TimeSpan.FromSeconds(5);

    /// <summary>Runs traffic and the display; returns the child that died, if one did, and how long traffic ran.</summary>
    private async Task<(ChildProcess? Died, TimeSpan Elapsed)> RunTrafficAsync(
        TrafficGenerator traffic, TrafficStats stats, Supervisor supervisor, string fileToEdit, CancellationToken cancel)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancel);
        stats.Start();
        var run = traffic.RunAsync(options.Duration, stop.Token);
        var interactive = !Console.IsOutputRedirected && AnsiConsole.Profile.Capabilities.Interactive;
        var display = interactive
            ? LiveAsync(traffic, stats, supervisor, fileToEdit, run)
            : ProgressAsync(stats, supervisor, run);
        var first = await Task.WhenAny(run, supervisor.Died);
        ChildProcess? died = first == supervisor.Died ? await supervisor.Died : null;
        await stop.CancelAsync();
        await run;
        var elapsed = stats.Elapsed;
        await display;
        return (died, elapsed);
    }

    private async Task LiveAsync(TrafficGenerator traffic, TrafficStats stats, Supervisor supervisor, string fileToEdit, Task run)
    {
        await AnsiConsole.Live(TrafficTable.Live(stats.Rows(), stats.Elapsed, traffic.Sent, fileToEdit))
            .AutoClear(false)
            .Overflow(VerticalOverflow.Ellipsis)
            .StartAsync(async context =>
            {
                var limit = MaxRefreshes(LiveRefresh);
                for (var i = 0; i < limit && !run.IsCompleted; i++)
                {
                    await Task.WhenAny(run, Task.Delay(LiveRefresh, time, CancellationToken.None));
                    context.UpdateTarget(TrafficTable.Live(stats.Rows(), stats.Elapsed, traffic.Sent, fileToEdit));
                    if (i % 4 == 3) supervisor.Remember();
                }
            });
    }

    private async Task ProgressAsync(TrafficStats stats, Supervisor supervisor, Task run)
    {
        var limit = MaxRefreshes(ProgressEvery);
        for (var i = 0; i < limit && !run.IsCompleted; i++)
        {
            await Task.WhenAny(run, Task.Delay(ProgressEvery, time, CancellationToken.None));
            if (run.IsCompleted) break;
            Console.Out.WriteLine(ProgressLine.Format(stats.Rows(), stats.Elapsed));
            supervisor.Remember();
        }
    }

    /// <summary>Enough refreshes for the run (a day when it has no duration).</summary>
    private int MaxRefreshes(TimeSpan every) =>
        (int)Math.Min(int.MaxValue, ((options.Duration ?? TimeSpan.FromDays(1)) / every) + 2);
}
