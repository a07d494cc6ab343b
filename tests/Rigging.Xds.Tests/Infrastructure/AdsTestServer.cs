using Envoy.Config.Core.V3;
using Envoy.Service.Discovery.V3;
using Rigging.Xds.Cache;
using Rigging.Xds.Grpc.Client;
using Rigging.Xds.Grpc.Server;
using Rigging.Xds.Server;

namespace Rigging.Xds.Tests.Infrastructure;

/// <summary>An ADS server on a free loopback port with a channel to it.</summary>
internal sealed class AdsTestServer : IAsyncDisposable
{
    private AdsTestServer(SnapshotCache cache, GrpcServer server)
    {
        Cache = cache;
        Server = server;
        Channel = new GrpcChannel(server.Address);
    }

    public SnapshotCache Cache { get; }

    public GrpcServer Server { get; }

    public GrpcChannel Channel { get; }

    public static async Task<AdsTestServer> StartAsync()
    {
        var cache = new SnapshotCache();
        return new AdsTestServer(cache, await new AdsServer(cache).StartAsync());
    }

    public XdsStream<DiscoveryRequest, DiscoveryResponse> Sotw() => new(Channel, DiscoveryMethods.StreamAggregatedResources);

    public XdsStream<DeltaDiscoveryRequest, DeltaDiscoveryResponse> Delta() => new(Channel, DiscoveryMethods.DeltaAggregatedResources);

    public static DiscoveryRequest Request(string typeUrl, params string[] names)
    {
        var request = new DiscoveryRequest { TypeUrl = typeUrl, Node = new Node { Id = "node-1" } };
        request.ResourceNames.AddRange(names);
        return request;
    }

    public static DiscoveryRequest Ack(DiscoveryResponse response, params string[] names)
    {
        var request = new DiscoveryRequest { TypeUrl = response.TypeUrl, VersionInfo = response.VersionInfo, ResponseNonce = response.Nonce };
        request.ResourceNames.AddRange(names);
        return request;
    }

    /// <summary>Two EDS clusters (a, b) with endpoints, a listener "l" using route "r" that splits a/b.</summary>
    public static Snapshot Mesh(int portB = 2002, params int[] portsA) => Snapshot.Create(
        XdsResources.ApiListener("l", "r"),
        XdsResources.Routes("r", XdsResources.Weighted("split", ("a", 50), ("b", 50))),
        XdsResources.EdsCluster("a"),
        XdsResources.EdsCluster("b"),
        XdsResources.Endpoints("a", portsA.Length == 0 ? [2001] : portsA),
        XdsResources.Endpoints("b", portB));

    public async ValueTask DisposeAsync()
    {
        Channel.Dispose();
        await Server.DisposeAsync();
    }
}
