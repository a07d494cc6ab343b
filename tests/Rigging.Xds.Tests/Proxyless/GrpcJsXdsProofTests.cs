using System.Diagnostics;
using Envoy.Config.Route.V3;
using FluentAssertions;
using Rigging.Xds.Cache;
using Rigging.Xds.Tests.Infrastructure;
using Xunit;

namespace Rigging.Xds.Tests.Proxyless;

/// <summary>
/// The proof with an independent xDS client: @grpc/grpc-js-xds, bootstrapped to our ADS server, calls
/// xds:///echo against real grpc-js servers while the test sets snapshots built by hand.
/// </summary>
public sealed class GrpcJsXdsProofTests(ProxylessFixture fixture) : IClassFixture<ProxylessFixture>
{
    private const string Listener = "echo";
    private const string RouteName = "echo-route";

    [Fact]
    public async Task Weighted_80_20_split_lands_within_5_percent_over_2000_calls()
    {
        await fixture.SetAndWaitForAckAsync(Split(80, 20));
        await fixture.WaitUntilServingAsync();

        var result = await fixture.CallsAsync(2000);

        result.Total(ok: true).Should().Be(2000, result.ToString());
        (result.To("v1") / 2000.0).Should().BeApproximately(0.80, 0.05, result.ToString());
        (result.To("v2") / 2000.0).Should().BeApproximately(0.20, 0.05, result.ToString());
    }

    [Fact]
    public async Task Change_to_0_100_is_followed_within_2_seconds()
    {
        await fixture.SetAndWaitForAckAsync(Split(80, 20));
        await fixture.WaitUntilServingAsync();

        var clock = Stopwatch.StartNew();
        fixture.Cache.SetSnapshot(ProxylessFixture.NodeId, Split(0, 100)).Applied.Should().BeTrue();
        TimeSpan? followed = null;
        while (clock.Elapsed < TimeSpan.FromSeconds(10))
        {
            var batch = await fixture.CallsAsync(20, concurrency: 5);
            if (batch.To("v2") == 20)
            {
                followed = clock.Elapsed;
                break;
            }
        }

        followed.Should().NotBeNull("the client must move all traffic to v2");
        followed!.Value.Should().BeLessThan(TimeSpan.FromSeconds(2));
        (await fixture.CallsAsync(200)).To("v2").Should().Be(200);
    }

    [Fact]
    public async Task Header_match_sends_jason_to_v2_only()
    {
        var jason = new HeaderMatcher { Name = "x-user", ExactMatch = "jason" };
        var routes = XdsResources.Routes(
            RouteName,
            XdsResources.ToCluster("jason", "v2", jason),
            XdsResources.ToCluster("everyone", "v1"));
        await fixture.SetAndWaitForAckAsync(fixture.Build(XdsResources.ApiListener(Listener, RouteName), routes));
        await fixture.WaitUntilServingAsync();

        var asJason = await fixture.CallsAsync(200, new Dictionary<string, string> { ["x-user"] = "jason" });
        var asOthers = await fixture.CallsAsync(200, new Dictionary<string, string> { ["x-user"] = "mary" });

        asJason.To("v2").Should().Be(200, asJason.ToString());
        asOthers.To("v1").Should().Be(200, asOthers.ToString());
    }

    [Fact]
    public async Task Fault_filter_aborting_half_the_calls_gives_about_half_unavailable()
    {
        var listener = XdsResources.ApiListener(Listener, RouteName, XdsResources.AbortFilter(50, grpcStatus: 14), XdsResources.RouterFilter);
        await fixture.SetAndWaitForAckAsync(fixture.Build(listener, XdsResources.Routes(RouteName, XdsResources.ToCluster("all", "v1"))));

        var result = await fixture.CallsAsync(1000);

        (result.WithCode(14) / 1000.0).Should().BeApproximately(0.5, 0.08, result.ToString());
        (result.WithCode(14) + result.To("v1")).Should().Be(1000, result.ToString());
    }

    [Fact]
    public async Task Invalid_listener_is_nacked_with_its_message_and_calls_keep_the_last_good_config()
    {
        await fixture.SetAndWaitForAckAsync(Split(0, 100));
        await fixture.WaitUntilServingAsync();
        var good = fixture.Cache.GetStatus(ProxylessFixture.NodeId)!.For(TypeUrls.Listener)!;

        // grpc-js-xds requires the router to be the last HTTP filter: this listener is invalid to it.
        var bad = XdsResources.ApiListener(Listener, RouteName, XdsResources.RouterFilter, XdsResources.AbortFilter(100, grpcStatus: 14));
        var badSnapshot = fixture.Build(bad, XdsResources.Routes(RouteName, XdsResources.Weighted("split", ("v1", 0), ("v2", 100))));
        fixture.Cache.SetSnapshot(ProxylessFixture.NodeId, badSnapshot).Outcome.Should().Be(SnapshotSetOutcome.Set);
        TypeStatus? nacked = null;
        for (int i = 0; i < 150 && nacked is null; i++)
        {
            var status = fixture.Cache.GetStatus(ProxylessFixture.NodeId)!.For(TypeUrls.Listener)!;
            nacked = status.NackError is not null && status.NackedVersion == badSnapshot.Version(TypeUrls.Listener) ? status : null;
            await Task.Delay(100);
        }

        nacked.Should().NotBeNull("the client must NACK the listener");
        nacked!.NackError.Should().Contain("router filter is before the end of the list");
        nacked.AckedVersion.Should().Be(good.AckedVersion, "a NACK leaves the client on its last ACKed version");
        var calls = await fixture.CallsAsync(200);
        calls.To("v2").Should().Be(200, "calls keep working on the last good config: " + calls);
    }

    private Snapshot Split(uint v1, uint v2) => fixture.Build(
        XdsResources.ApiListener(Listener, RouteName),
        XdsResources.Routes(RouteName, XdsResources.Weighted("split", ("v1", v1), ("v2", v2))));
}
