using Envoy.Service.Discovery.V3;
using Google.Protobuf;

namespace Rigging.Xds.Cache;

/// <summary>
/// What every SotW stream sends for one selection of one type: the resources in name order, their version, and
/// the serialized <c>DiscoveryResponse</c> without its nonce, built once (lazily) and shared by all streams that
/// send this selection. A stream writes <see cref="Body"/> followed by <see cref="NonceField"/>: protobuf
/// fields may arrive in any order, and since the nonce (5) follows every field here (1, 2, 4) the bytes are even
/// exactly those of the whole message serialized at once.
/// </summary>
public sealed class PreparedResponse
{
    private byte[]? _body;

    internal PreparedResponse(string typeUrl, IReadOnlyList<CachedResource> resources, string version)
    {
        TypeUrl = typeUrl;
        Resources = resources;
        Version = version;
    }

    public string TypeUrl { get; }

    /// <summary>The resources in name order (never modified).</summary>
    public IReadOnlyList<CachedResource> Resources { get; }

    public string Version { get; }

    /// <summary>version_info, resources and type_url, serialized on first use; treat as read-only.</summary>
    public ReadOnlyMemory<byte> Body
    {
        get
        {
            if (Volatile.Read(ref _body) is { } body)
            {
                return body;
            }

            // Racing streams may both serialize; the first result is kept (both are equal), so no thread waits.
            Interlocked.CompareExchange(ref _body, ToMessage(nonce: "").ToByteArray(), null);
            return _body;
        }
    }

    /// <summary>The response as one message (what <see cref="Body"/> plus <see cref="NonceField"/> parse to).</summary>
    public DiscoveryResponse ToMessage(string nonce)
    {
        var response = new DiscoveryResponse { VersionInfo = Version, TypeUrl = TypeUrl, Nonce = nonce };
        foreach (var resource in Resources)
        {
            response.Resources.Add(resource.Any);
        }

        return response;
    }

    /// <summary>The serialized nonce field of a <c>DiscoveryResponse</c>, to follow <see cref="Body"/>.</summary>
    public static byte[] NonceField(string nonce)
    {
        var field = new byte[CodedOutputStream.ComputeTagSize(DiscoveryResponse.NonceFieldNumber) + CodedOutputStream.ComputeStringSize(nonce)];
        var output = new CodedOutputStream(field);
        output.WriteTag(DiscoveryResponse.NonceFieldNumber, WireFormat.WireType.LengthDelimited);
        output.WriteString(nonce);
        output.CheckNoSpaceLeft();
        return field;
    }
}
