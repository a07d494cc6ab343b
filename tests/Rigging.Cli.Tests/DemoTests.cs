using FluentAssertions;

namespace Rigging.Cli.Tests;

/// <summary>
/// <c>rig demo</c> end to end: the real control plane, six <c>rig run</c> workloads with the sample app, traffic,
/// the summary, and a clean stop (no process left).
/// </summary>
public sealed class DemoTests : IDisposable
{
    private static readonly TimeSpan ExitTimeout = TimeSpan.FromMinutes(4);
    private readonly string _dir = Directory.CreateTempSubdirectory("rigging-demo-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task Demo_with_duration_splits_reviews_between_versions_exits_0_and_leaves_no_process()
    {
        using var demo = new DemoProcess("--duration", "12", "--work-dir", _dir);

        var exit = await demo.WaitForExitAsync(ExitTimeout);

        exit.Should().Be(0, demo.Output);
        var reviews = DemoProcess.SummaryRows(demo.Stdout, "reviews");
        reviews.Where(r => r.Key.StartsWith('v') && r.Value > 0).Should().HaveCountGreaterThanOrEqualTo(2,
            "Istio's 80/20 VirtualService sends reviews traffic to v1 and v2:\n" + demo.Output);
        DemoProcess.SummaryRows(demo.Stdout, "productpage").GetValueOrDefault("v1").Should().BeGreaterThan(50, demo.Output);
        DemoProcess.SummaryRows(demo.Stdout, "ratings").GetValueOrDefault("v1").Should().BeGreaterThan(0, "reviews v2 calls ratings:\n" + demo.Output);
        (await demo.LeftoversAsync()).Should().BeEmpty(demo.Output);
        File.Exists(Path.Combine(_dir, "config", "virtual-service-reviews.yaml")).Should().BeTrue();
        File.Exists(Path.Combine(_dir, "logs", "reviews-v2.log")).Should().BeTrue();
    }

    [Theory]
    [InlineData("INT")]
    [InlineData("TERM")]
    public async Task Signal_stops_every_process_and_prints_the_summary(string signal)
    {
        using var demo = new DemoProcess("--work-dir", _dir);
        var ready = demo.WaitForAsync("productpage answers through the mesh");
        (await Task.WhenAny(ready, Task.Delay(TimeSpan.FromMinutes(3)))).Should().Be(ready, demo.Output);
        await Task.Delay(TimeSpan.FromSeconds(3));

        await demo.SignalAsync(signal);
        var exit = await demo.WaitForExitAsync(TimeSpan.FromSeconds(30));

        exit.Should().Be(0, demo.Output);
        DemoProcess.SummaryRows(demo.Stdout, "productpage").GetValueOrDefault("v1").Should().BeGreaterThan(0, demo.Output);
        (await demo.LeftoversAsync()).Should().BeEmpty(demo.Output);
    }
}
