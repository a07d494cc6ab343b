using FluentAssertions;
using Rigging.E2E.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Rigging.E2E.Tests.Scenarios;

/// <summary>Bookinfo's ratings fault samples: an abort for jason, and a delay for jason measured on the clock.</summary>
[Collection(MeshCollection.Name)]
public sealed class FaultInjectionTests(MeshFixture mesh, ITestOutputHelper output)
{
    private const string RatingsFile = "virtual-service-ratings.yaml";

    [Fact]
    public Task Ratings_test_abort_sample_answers_500_to_jason_and_reviews_v2_sees_it() => mesh.Explain(async () =>
    {
        // jason reaches reviews v2 (which calls ratings) with test-v2; the abort sample then fails ratings for him.
        await mesh.ApplyAsync(RoutingTests.ReviewsFile, RoutingTests.Sample("virtual-service-reviews-test-v2.yaml"));
        await mesh.ApplyAsync(RatingsFile, RoutingTests.Sample("virtual-service-ratings-test-abort.yaml"));
        try
        {
            var chain = await Traffic.BatchAsync(10, 2, _ => mesh.Client.GetAsync("productpage", "/productpage", ("end-user", "jason")));
            var jason = await Traffic.BatchAsync(10, 2, _ => mesh.Client.GetAsync("ratings", "/ratings/0", ("end-user", "jason")));
            var others = await Traffic.BatchAsync(10, 2, _ => mesh.Client.GetAsync("ratings", "/ratings/0", ("end-user", "mary")));

            chain.Should().OnlyContain(a => a.Ok && a.Version("reviews") == "v2" && a.CallStatus("reviews", "ratings") == 500,
                "productpage still answers; reviews v2's sidecar aborts its ratings call");
            jason.Select(a => a.Status).Should().AllBeEquivalentTo(500);
            jason.Should().OnlyContain(a => a.Body.Contains("fault filter abort", StringComparison.Ordinal), "the proxy answers, not ratings");
            others.Should().OnlyContain(a => a.Ok && a.Version() == "v1");
        }
        finally
        {
            await mesh.ApplyAsync(RatingsFile, null);
            await mesh.ApplyAsync(RoutingTests.ReviewsFile, null);
        }
    });

    [Fact]
    public Task Ratings_delay_for_jason_holds_each_of_his_requests_for_the_configured_second() => mesh.Explain(async () =>
    {
        // Config/ratings-test-delay-1s.yaml is Istio's test-delay sample with fixedDelay 1s instead of 7s.
        await mesh.ApplyAsync(RatingsFile, File.ReadAllText(Paths.TestConfig("ratings-test-delay-1s.yaml")));
        try
        {
            var jason = await Traffic.BatchAsync(4, 4, _ => mesh.Client.GetAsync("ratings", "/ratings/0", ("end-user", "jason")));
            var others = await Traffic.BatchAsync(8, 4, _ => mesh.Client.GetAsync("ratings", "/ratings/0"));

            output.WriteLine("jason: " + string.Join(", ", jason.Select(a => $"{a.Elapsed.TotalMilliseconds:0} ms")));
            output.WriteLine("others: " + string.Join(", ", others.Select(a => $"{a.Elapsed.TotalMilliseconds:0} ms")));
            jason.Should().OnlyContain(a => a.Ok && a.Version() == "v1", "a delay is not a failure");
            jason.Should().OnlyContain(a => a.Elapsed >= TimeSpan.FromMilliseconds(990) && a.Elapsed < TimeSpan.FromSeconds(5));
            others.Should().OnlyContain(a => a.Ok);
            others.Select(a => a.Elapsed).Order().ElementAt(others.Length / 2).Should().BeLessThan(TimeSpan.FromMilliseconds(500),
                "only jason's requests are delayed");
        }
        finally
        {
            await mesh.ApplyAsync(RatingsFile, null);
        }
    });
}
