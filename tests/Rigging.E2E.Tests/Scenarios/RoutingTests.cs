using FluentAssertions;
using Rigging.E2E.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Rigging.E2E.Tests.Scenarios;

/// <summary>Bookinfo's routing samples, end to end: loadgen → productpage → reviews (as productpage's sidecar routes it).</summary>
[Collection(MeshCollection.Name)]
public sealed class RoutingTests(MeshFixture mesh, ITestOutputHelper output)
{
    internal const string ReviewsFile = "virtual-service-reviews.yaml";

    [Fact]
    public Task Reviews_80_20_sample_sends_about_80_percent_of_productpage_calls_to_v1_and_the_rest_to_v2() => mesh.Explain(async () =>
    {
        output.WriteLine($"mesh started in {mesh.StartupTime.TotalSeconds:0.0} s");
        await mesh.ApplyAsync(ReviewsFile, Sample("virtual-service-reviews-80-20.yaml"));
        try
        {
            const int requests = 200;
            var answers = await Traffic.BatchAsync(requests, 8, _ => mesh.Client.GetAsync("productpage", "/productpage"));

            answers.Should().OnlyContain(a => a.Ok && a.CallStatus("reviews") == 200, "every request crosses the mesh");
            var versions = answers.GroupBy(a => a.Version("reviews") ?? "none").ToDictionary(g => g.Key, g => g.Count());
            output.WriteLine("reviews versions: " + string.Join(", ", versions.Select(kv => $"{kv.Key}={kv.Value}")));
            // 80% of 200: the standard deviation is 2.8 points, so 65–92% is over four deviations wide.
            versions.GetValueOrDefault("v1").Should().BeInRange(130, 184);
            versions.GetValueOrDefault("v2").Should().Be(requests - versions.GetValueOrDefault("v1"), "v1 and v2 share all of it");
            versions.Should().NotContainKey("v3");
        }
        finally
        {
            await mesh.ApplyAsync(ReviewsFile, null);
        }
    });

    [Fact]
    public Task Reviews_test_v2_sample_sends_end_user_jason_to_v2_and_everyone_else_to_v1() => mesh.Explain(async () =>
    {
        await mesh.ApplyAsync(ReviewsFile, Sample("virtual-service-reviews-test-v2.yaml"));
        try
        {
            var jason = await Traffic.BatchAsync(30, 4, _ => mesh.Client.GetAsync("productpage", "/productpage", ("end-user", "jason")));
            var others = await Traffic.BatchAsync(30, 4, i => mesh.Client.GetAsync("productpage", "/productpage", ("end-user", i % 2 == 0 ? "mary" : "jasonx")));

            jason.Select(a => a.Version("reviews")).Should().AllBe("v2", "productpage forwards end-user and its sidecar matches it exactly");
            jason.Select(a => a.CallStatus("reviews", "ratings")).Should().AllBeEquivalentTo(200, "reviews v2 calls ratings");
            others.Select(a => a.Version("reviews")).Should().AllBe("v1");
        }
        finally
        {
            await mesh.ApplyAsync(ReviewsFile, null);
        }
    });

    internal static string Sample(string file) => File.ReadAllText(Paths.BookinfoConfig(Path.Combine("istio", file)));
}
