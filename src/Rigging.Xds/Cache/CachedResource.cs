using System.Security.Cryptography;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;

namespace Rigging.Xds.Cache;

/// <summary>One resource of a snapshot, serialized once: its Any is shared by every response that carries it.</summary>
public sealed class CachedResource
{
    private CachedResource(string name, string typeUrl, IMessage message, Any any, string version)
    {
        Name = name;
        TypeUrl = typeUrl;
        Message = message;
        Any = any;
        Version = version;
    }

    public string Name { get; }

    public string TypeUrl { get; }

    /// <summary>The typed resource (treat as read-only).</summary>
    public IMessage Message { get; }

    /// <summary>The serialized resource, packed once.</summary>
    public Any Any { get; }

    /// <summary>A hash of the serialized bytes: equal bytes, equal version.</summary>
    public string Version { get; }

    internal static CachedResource Create(string name, IMessage message)
    {
        string typeUrl = "type.googleapis.com/" + message.Descriptor.FullName;
        ByteString bytes = message.ToByteString();
        var any = new Any { TypeUrl = typeUrl, Value = bytes };
        return new CachedResource(name, typeUrl, message, any, Hash(bytes.Span));
    }

    internal static string Hash(ReadOnlySpan<byte> bytes)
    {
        Span<byte> digest = stackalloc byte[32];
        SHA256.HashData(bytes, digest);
        return Convert.ToHexStringLower(digest[..8]);
    }
}
