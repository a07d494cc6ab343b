using Envoy.Extensions.Filters.Network.HttpConnectionManager.V3;
using Envoy.Extensions.Filters.Network.TcpProxy.V3;
using FluentAssertions;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Rigging.Xds.Protos;
using Xunit;

namespace Rigging.Xds.Tests.Protos;

/// <summary>Any payloads read without descriptors give what Google.Protobuf's descriptor-based Any gives.</summary>
public sealed class AnyPayloadTests
{
    [Fact]
    public void Every_listed_name_is_the_full_name_its_descriptor_gives()
    {
        AnyPayload.Listed.Should().NotBeEmpty();
        foreach (var (type, name) in AnyPayload.Listed)
        {
            var descriptor = (Google.Protobuf.Reflection.MessageDescriptor)type.GetProperty("Descriptor")!.GetValue(null)!;
            name.Should().Be(descriptor.FullName, $"{type.FullName} is listed under its proto name");
        }
    }

    [Fact]
    public void A_payload_unpacks_as_its_own_type_only()
    {
        var hcm = new HttpConnectionManager { StatPrefix = "inbound_8080", Rds = new Rds { RouteConfigName = "8080" } };
        var any = Any.Pack(hcm);

        AnyPayload.TypeName(any).Should().Be(Any.GetTypeName(any.TypeUrl));
        AnyPayload.Is<HttpConnectionManager>(any).Should().BeTrue();
        AnyPayload.TryUnpack<HttpConnectionManager>(any, out var unpacked).Should().BeTrue();
        unpacked.Should().Be(hcm);
        AnyPayload.Is<TcpProxy>(any).Should().BeFalse();
        AnyPayload.TryUnpack<TcpProxy>(any, out var other).Should().BeFalse();
        other.Should().BeNull();
        AnyPayload.TypeName(new Any { TypeUrl = "no-slash" }).Should().Be(Any.GetTypeName("no-slash"));
    }

    [Fact]
    public void Bytes_that_do_not_parse_throw_as_protobuf_does()
    {
        var any = new Any { TypeUrl = "type.googleapis.com/" + AnyPayload.NameOf<TcpProxy>(), Value = ByteString.CopyFrom(0x0a, 0x05, 0x61) };

        var unpack = () => AnyPayload.TryUnpack<TcpProxy>(any, out _);

        unpack.Should().Throw<InvalidProtocolBufferException>();
    }
}
