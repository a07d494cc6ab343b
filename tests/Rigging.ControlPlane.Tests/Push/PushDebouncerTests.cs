using FluentAssertions;
using Rigging.ControlPlane.Push;

namespace Rigging.ControlPlane.Tests.Push;

/// <summary>Debounce: a change after quiet goes at once; a quiet period coalesces bursts; a max delay bounds how long a change waits.</summary>
public sealed class PushDebouncerTests
{
    [Fact]
    public async Task Hundred_quick_changes_coalesce_into_few_pushes_that_carry_them_all()
    {
        var pushes = new List<PushRequest>();
        await using var debouncer = new PushDebouncer(TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(1), (r, _) =>
        {
            lock (pushes) pushes.Add(r);
            return Task.CompletedTask;
        });

        for (var i = 0; i < 100; i++) debouncer.Enqueue(i % 2 == 0 ? PushRequest.ForConfig(["VirtualService"]) : PushRequest.ForEndpoints());
        await Task.Delay(600);

        lock (pushes)
        {
            pushes.Count.Should().BeInRange(1, 3);
            pushes.Sum(p => p.Merged).Should().Be(100, "no change is lost");
            pushes[0].Full.Should().BeTrue();
        }
    }

    [Fact]
    public async Task Steady_stream_of_changes_is_pushed_within_the_max_delay()
    {
        var first = new TaskCompletionSource<PushRequest>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var debouncer = new PushDebouncer(TimeSpan.FromMilliseconds(100), TimeSpan.FromMilliseconds(400), (r, _) =>
        {
            first.TrySetResult(r);
            return Task.CompletedTask;
        });

        var started = TimeProvider.System.GetTimestamp();
        for (var i = 0; i < 60 && !first.Task.IsCompleted; i++)
        {
            debouncer.Enqueue(PushRequest.ForEndpoints());
            await Task.Delay(20);
        }

        (await first.Task.WaitAsync(TimeSpan.FromSeconds(5))).EndpointsOnly.Should().BeTrue();
        TimeProvider.System.GetElapsedTime(started).Should().BeLessThan(TimeSpan.FromSeconds(1), "changes every 20 ms never leave 100 ms quiet, so the 400 ms max delay fires");
    }

    [Fact]
    public async Task First_change_after_a_quiet_period_is_pushed_without_waiting_for_quiet()
    {
        var pushed = new TaskCompletionSource<PushRequest>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var debouncer = new PushDebouncer(TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(60), (r, _) =>
        {
            pushed.TrySetResult(r);
            return Task.CompletedTask;
        });

        debouncer.Enqueue(PushRequest.ForConfig(["VirtualService"]));

        (await pushed.Task.WaitAsync(TimeSpan.FromSeconds(20))).Full.Should().BeTrue("the leading edge does not wait out the 30 s quiet period");
    }

    [Fact]
    public async Task Flood_after_the_leading_push_still_coalesces_by_quiet_and_max_delay()
    {
        var pushes = new List<PushRequest>();
        await using var debouncer = new PushDebouncer(TimeSpan.FromMilliseconds(100), TimeSpan.FromMilliseconds(500), (r, _) =>
        {
            lock (pushes) pushes.Add(r);
            return Task.CompletedTask;
        });

        // 1000 changes, 50 every 10 ms (a flood far denser than the quiet period), bounded in count.
        for (var i = 0; i < 1000; i++)
        {
            debouncer.Enqueue(PushRequest.ForEndpoints());
            if (i % 50 == 49) await Task.Delay(10);
        }
        var deadline = TimeProvider.System.GetTimestamp();
        while (TimeProvider.System.GetElapsedTime(deadline) < TimeSpan.FromSeconds(10))
        {
            lock (pushes)
            {
                if (pushes.Sum(p => p.Merged) == 1000) break;
            }
            await Task.Delay(20);
        }

        lock (pushes)
        {
            pushes.Sum(p => p.Merged).Should().Be(1000, "no change is lost");
            pushes[0].Merged.Should().BeLessThan(1000, "the first change went at once");
            // The flood lasts about as long as its 20 delays; one leading push, then at most one per 500 ms and a trailing one.
            pushes.Count.Should().BeLessThan(20, "a flood coalesces instead of pushing per change");
        }
    }

    [Fact]
    public async Task Trailing_only_debouncer_waits_for_the_quiet_period()
    {
        var pushed = new TaskCompletionSource<PushRequest>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var debouncer = new PushDebouncer(TimeSpan.FromMilliseconds(400), TimeSpan.FromSeconds(5), (r, _) =>
        {
            pushed.TrySetResult(r);
            return Task.CompletedTask;
        }, leadingEdge: false);

        var started = TimeProvider.System.GetTimestamp();
        debouncer.Enqueue(PushRequest.ForEndpoints());
        await pushed.Task.WaitAsync(TimeSpan.FromSeconds(10));

        TimeProvider.System.GetElapsedTime(started).Should().BeGreaterThanOrEqualTo(TimeSpan.FromMilliseconds(390), "without the leading edge a change waits out the quiet period");
    }
}
