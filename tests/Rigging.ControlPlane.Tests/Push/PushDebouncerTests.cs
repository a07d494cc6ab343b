using FluentAssertions;
using Rigging.ControlPlane.Push;

namespace Rigging.ControlPlane.Tests.Push;

/// <summary>Debounce: a quiet period coalesces bursts; a max delay bounds how long a change waits.</summary>
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
}
