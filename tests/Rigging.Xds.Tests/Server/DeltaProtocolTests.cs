using Envoy.Config.Core.V3;
using Envoy.Service.Discovery.V3;
using FluentAssertions;
using Rigging.Xds.Cache;
using Rigging.Xds.Rpc;
using Rigging.Xds.Tests.Infrastructure;
using Xunit;
using static Rigging.Xds.Tests.Infrastructure.AdsTestServer;

namespace Rigging.Xds.Tests.Server;

/// <summary>Incremental ADS: only what changed, removals by name, initial versions, ACK/NACK by nonce.</summary>
public sealed class DeltaProtocolTests : IAsyncLifetime
{
    private AdsTestServer _ads = null!;

    public async Task InitializeAsync() => _ads = await AdsTestServer.StartAsync();

    public async Task DisposeAsync() => await _ads.DisposeAsync();

    [Fact]
    public async Task Wildcard_subscription_gets_everything_then_only_changes_and_removals()
    {
        _ads.Cache.SetSnapshot("node-1", Mesh());
        await using var stream = _ads.Delta();
        await stream.SendAsync(new DeltaDiscoveryRequest { Node = new Node { Id = "node-1" }, TypeUrl = TypeUrls.ClusterLoadAssignment, ResourceNamesSubscribe = { "*" } });
        var first = await stream.NextAsync();
        await stream.SendAsync(new DeltaDiscoveryRequest { TypeUrl = TypeUrls.ClusterLoadAssignment, ResponseNonce = first.Nonce });

        var next = Snapshot.Create(
            XdsResources.Endpoints("a", 2001),
            XdsResources.Endpoints("c", 7000));
        _ads.Cache.SetSnapshot("node-1", next);
        var update = await stream.NextAsync();

        first.Resources.Select(r => r.Name).Should().BeEquivalentTo(["a", "b"]);
        update.Resources.Select(r => r.Name).Should().Equal("c");
        update.RemovedResources.Should().Equal("b");
        // The ACK is recorded by the server's stream loop, which may not have run yet when the update arrives.
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (_ads.Cache.GetStatus("node-1")!.For(TypeUrls.ClusterLoadAssignment)!.AckedVersion != first.SystemVersionInfo && clock.Elapsed < TimeSpan.FromSeconds(5))
        {
            await Task.Delay(10);
        }
        _ads.Cache.GetStatus("node-1")!.For(TypeUrls.ClusterLoadAssignment)!.AckedVersion.Should().Be(first.SystemVersionInfo);
    }

    [Fact]
    public async Task Initial_resource_versions_suppress_what_the_client_already_holds()
    {
        var snapshot = Mesh();
        _ads.Cache.SetSnapshot("node-1", snapshot);
        await using var stream = _ads.Delta();
        var request = new DeltaDiscoveryRequest { Node = new Node { Id = "node-1" }, TypeUrl = TypeUrls.Cluster };
        request.InitialResourceVersions["a"] = snapshot.Get(TypeUrls.Cluster).Resources["a"].Version;

        await stream.SendAsync(request);
        var response = await stream.NextAsync();

        response.Resources.Select(r => r.Name).Should().Equal("b");
    }

    [Fact]
    public async Task Named_subscription_and_unsubscribe_follow_the_client()
    {
        _ads.Cache.SetSnapshot("node-1", Mesh());
        await using var stream = _ads.Delta();
        await stream.SendAsync(new DeltaDiscoveryRequest { Node = new Node { Id = "node-1" }, TypeUrl = TypeUrls.ClusterLoadAssignment, ResourceNamesSubscribe = { "a" } });
        var first = await stream.NextAsync();

        await stream.SendAsync(new DeltaDiscoveryRequest
        {
            TypeUrl = TypeUrls.ClusterLoadAssignment, ResponseNonce = first.Nonce, ResourceNamesSubscribe = { "b" }, ResourceNamesUnsubscribe = { "a" },
        });
        var second = await stream.NextAsync();

        first.Resources.Select(r => r.Name).Should().Equal("a");
        second.Resources.Select(r => r.Name).Should().Equal("b");
        second.RemovedResources.Should().BeEmpty();
    }

    [Fact]
    public async Task Nack_is_recorded_with_its_message()
    {
        _ads.Cache.SetSnapshot("node-1", Mesh());
        await using var stream = _ads.Delta();
        await stream.SendAsync(new DeltaDiscoveryRequest { Node = new Node { Id = "node-1" }, TypeUrl = TypeUrls.Cluster });
        var response = await stream.NextAsync();

        await stream.SendAsync(new DeltaDiscoveryRequest
        {
            TypeUrl = TypeUrls.Cluster, ResponseNonce = response.Nonce, ErrorDetail = new Status { Code = 3, Message = "cluster b: bad lb_policy" },
        });

        (await stream.NothingWithinAsync(0.3)).Should().BeTrue();
        var status = _ads.Cache.GetStatus("node-1")!.For(TypeUrls.Cluster)!;
        status.NackError.Should().Be("cluster b: bad lb_policy");
        status.NackedVersion.Should().Be(response.SystemVersionInfo);
    }
}
