using System.Net;
using FluentAssertions;
using Google.Protobuf.WellKnownTypes;
using Rigging.ControlPlane.Model;
using Rigging.ControlPlane.Registry;
using Rigging.Proxy;

namespace Rigging.ControlPlane.Tests.Registry;

/// <summary>What a node's metadata announces, read as the proxy's NodeIdentity writes it.</summary>
public sealed class NodeMetadataTests
{
    private static readonly Envoy.Config.Core.V3.Node Sidecar = NodeIdentity.Create(new ProxyOptions
    {
        Xds = new Uri("http://127.0.0.1:15010"),
        NodeId = "reviews-v1-1",
        Workload = "reviews-v1",
        Namespace = "shop",
        Labels = new Dictionary<string, string> { ["app"] = "reviews", ["version"] = "v1" },
        ServiceAccount = "bookinfo-reviews",
        Address = IPAddress.Parse("10.1.2.3"),
        InboundPort = 15006,
        AppPort = 9080,
        OutboundPort = 15001,
    });

    [Fact]
    public void Sidecar_metadata_becomes_a_proxy_view_and_an_instance_at_its_inbound_port()
    {
        var view = NodeMetadata.ToProxyView(Sidecar);
        var instance = NodeMetadata.ToInstance(Sidecar, view)!;

        view.Should().BeEquivalentTo(new { Kind = ProxyKind.Sidecar, Namespace = "shop", Workload = "reviews-v1", ServiceAccount = "bookinfo-reviews", Address = "10.1.2.3", InboundPort = 15006, AppPort = 9080, OutboundPort = 15001 });
        instance.Should().BeEquivalentTo(new { Name = "reviews-v1", Namespace = "shop", Address = "10.1.2.3", InboundPort = 15006, NodeId = "reviews-v1-1" });
        instance.Labels.Should().Contain("version", "v1");
    }

    [Fact]
    public void Grpc_generator_is_a_proxyless_client_without_an_instance()
    {
        var node = Sidecar.Clone();
        node.Metadata.Fields["GENERATOR"] = Value.ForString("grpc");

        var view = NodeMetadata.ToProxyView(node);

        view.Kind.Should().Be(ProxyKind.ProxylessGrpc);
        NodeMetadata.ToInstance(node, view).Should().BeNull();
    }

    [Fact]
    public void Node_without_metadata_is_a_sidecar_in_default_namespace_without_an_instance()
    {
        var node = new Envoy.Config.Core.V3.Node { Id = "bare" };

        var view = NodeMetadata.ToProxyView(node);

        view.Should().BeEquivalentTo(new { Kind = ProxyKind.Sidecar, Namespace = "default", Workload = "bare" });
        NodeMetadata.ToInstance(node, view).Should().BeNull();
    }
}
