using FluentAssertions;
using Rigging.E2E.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Rigging.E2E.Tests.Scenarios;

/// <summary>
/// Retries and outlier ejection against real failing processes (Config/e2e-backends.yaml): flaky answers 503 to
/// every other request behind a VirtualService with retries (attempts 3, retryOn 5xx); unsteady has a good and
/// an always-500 instance behind a DestinationRule with outlierDetection (consecutive5xxErrors 1, interval 1s,
/// baseEjectionTime 30s, maxEjectionPercent 100).
/// </summary>
[Collection(MeshCollection.Name)]
public sealed class ResilienceTests(MeshFixture mesh, ITestOutputHelper output)
{
    [Fact]
    public Task Retries_turn_a_backend_failing_every_other_request_into_full_success_and_the_backend_sees_the_retries() => mesh.Explain(async () =>
    {
        var flaky = mesh.Workload("flaky-v1");
        var before = await BackendStats.ReadAsync(flaky);
        const int requests = 20;

        // One at a time, so "every other" is exact: after the first, each request fails once and succeeds on its retry.
        var answers = await Traffic.BatchAsync(requests, 1, _ => mesh.Client.GetAsync("flaky", "/items"));

        var after = await BackendStats.ReadAsync(flaky);
        var seen = after.Requests - before.Requests;
        var attempts = after.Attempts.Skip(before.Requests).ToList();
        output.WriteLine($"{requests} client requests, {seen} backend requests; x-envoy-attempt-count: {string.Join(",", attempts)}");
        answers.Select(a => a.Status).Should().AllBeEquivalentTo(200, "every 503 is retried");
        seen.Should().BeInRange((2 * requests) - 1, 2 * requests, "each request but perhaps the first took two attempts");
        attempts.Count(a => a == "2").Should().BeGreaterThanOrEqualTo(requests - 1, "the retries reached the backend as second attempts");
    });

    [Fact]
    public Task Outlier_detection_ejects_the_failing_instance_so_the_next_batch_all_succeeds() => mesh.Explain(async () =>
    {
        var bad = mesh.Workload("unsteady-bad");
        var good = mesh.Workload("unsteady-good");
        var badBefore = (await BackendStats.ReadAsync(bad)).Requests;

        // Until the failing instance has answered once (its first 500 ejects it), bounded.
        var warmup = new List<MeshAnswer>();
        for (var i = 0; i < 60 && (await BackendStats.ReadAsync(bad)).Requests == badBefore; i++)
        {
            warmup.Add(await mesh.Client.GetAsync("unsteady", "/items"));
        }
        var badAtEjection = (await BackendStats.ReadAsync(bad)).Requests;
        badAtEjection.Should().BeGreaterThan(badBefore, "the balancer reaches both instances before any ejection");
        warmup.Should().Contain(a => a.Status == 500, "the failing instance's answer reached the client");
        var goodBefore = (await BackendStats.ReadAsync(good)).Requests;

        const int batch = 40;
        var answers = await Traffic.BatchAsync(batch, 4, _ => mesh.Client.GetAsync("unsteady", "/items"));

        output.WriteLine($"warm-up: {warmup.Count} requests ({warmup.Count(a => a.Status == 500)} × 500); then {answers.Count(a => a.Ok)}/{batch} succeeded");
        answers.Select(a => a.Status).Should().AllBeEquivalentTo(200, "the failing instance is ejected for 30 s");
        (await BackendStats.ReadAsync(bad)).Requests.Should().Be(badAtEjection, "no request reached the ejected instance");
        (await BackendStats.ReadAsync(good)).Requests.Should().Be(goodBefore + batch);
    });
}
