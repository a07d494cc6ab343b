using FluentAssertions;
using Rigging.E2E.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Rigging.E2E.Tests.Scenarios;

/// <summary>A VirtualService rewritten on disk while steady traffic flows: nothing fails and traffic follows.</summary>
[Collection(MeshCollection.Name)]
public sealed class ConfigEditTests(MeshFixture mesh, ITestOutputHelper output)
{
    private static readonly TimeSpan Every = TimeSpan.FromMilliseconds(25);
    private static readonly TimeSpan FollowLimit = TimeSpan.FromSeconds(10);

    [Fact]
    public Task Rewriting_the_reviews_VirtualService_under_load_fails_no_request_and_traffic_follows_the_new_weights() => mesh.Explain(async () =>
    {
        await mesh.ApplyAsync(RoutingTests.ReviewsFile, RoutingTests.Sample("virtual-service-reviews-80-20.yaml"));
        try
        {
            var stop = new TaskCompletionSource();
            // 40 requests a second to reviews, routed by loadgen's sidecar, for at most 30 s.
            var load = Traffic.SteadyAsync(Every, TimeSpan.FromSeconds(30), stop.Task, () => mesh.Client.GetAsync("reviews", "/reviews/0"));
            var clock = System.Diagnostics.Stopwatch.StartNew();
            await Task.Delay(TimeSpan.FromSeconds(2));
            var written = clock.Elapsed;
            var acked = written + await mesh.ApplyAsync(RoutingTests.ReviewsFile, RoutingTests.Sample("virtual-service-reviews-v3.yaml"));
            await Task.Delay(TimeSpan.FromSeconds(2));
            stop.SetResult();
            var answers = await load;

            // The load's clock started a moment before ours: compare with a margin of one tick either way.
            var failures = answers.Where(a => !a.Answer.Ok).ToList();
            var before = answers.Where(a => a.Started < written - Every).ToList();
            var after = answers.Where(a => a.Started > acked + Every).ToList();
            var firstV3 = answers.Where(a => a.Answer.Version() == "v3").Select(a => a.Started).DefaultIfEmpty(TimeSpan.MaxValue).Min();
            output.WriteLine($"{answers.Count} requests, {failures.Count} failed; file written at {written.TotalSeconds:0.00} s, " +
                $"routes ACKed {(acked - written).TotalMilliseconds:0} ms later, first v3 answer for a request sent {(firstV3 - written).TotalMilliseconds:0} ms after the write");
            failures.Should().BeEmpty("a config swap keeps in-flight and new requests working: " +
                string.Join("; ", failures.Take(5).Select(f => $"{f.Started.TotalSeconds:0.00} s: {f.Answer.Status} {f.Answer.Body}")));
            // 40/s is the aim; a loaded machine delays ticks, so only a stalled load (under 10/s) fails here.
            answers.Count.Should().BeGreaterThan((int)(clock.Elapsed.TotalSeconds * 10), "the load ran all along at up to 40/s");
            before.Should().NotBeEmpty().And.OnlyContain(a => a.Answer.Version() == "v1" || a.Answer.Version() == "v2", "80/20 serves v1 and v2");
            (acked - written).Should().BeLessThan(FollowLimit, "the edit reached the proxies in bounded time");
            after.Should().HaveCountGreaterThan(20).And.OnlyContain(a => a.Answer.Version() == "v3", "once ACKed, every new request follows the new route");
        }
        finally
        {
            await mesh.ApplyAsync(RoutingTests.ReviewsFile, null);
        }
    });
}
