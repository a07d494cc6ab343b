using System.Buffers.Binary;
using System.Text;

namespace Rigging.Proxy.Listeners;

/// <summary>
/// Reads the server name (SNI) and ALPN protocols from a TLS ClientHello, as Envoy's tls_inspector does, without
/// decrypting anything. Only the first TLS record is read (a ClientHello fits in one in practice); anything
/// malformed yields "not a ClientHello" and the connection is treated as raw bytes.
/// </summary>
internal static class ClientHelloParser
{
    private const byte HandshakeRecord = 0x16;
    private const byte ClientHello = 0x01;
    private const ushort ServerNameExtension = 0x0000;
    private const ushort AlpnExtension = 0x0010;

    /// <summary>Bytes of a TLS record header: type, version (2), length (2).</summary>
    public const int RecordHeaderLength = 5;

    /// <summary>True when the bytes start like a TLS handshake record (0x16 0x03 ..).</summary>
    public static bool LooksLikeTls(ReadOnlySpan<byte> data) => data.Length >= 2 && data[0] == HandshakeRecord && data[1] == 0x03;

    /// <summary>The length of the whole first record (header included), or -1 when the header is incomplete.</summary>
    public static int RecordLength(ReadOnlySpan<byte> data) =>
        data.Length < RecordHeaderLength ? -1 : RecordHeaderLength + BinaryPrimitives.ReadUInt16BigEndian(data[3..]);

    public static bool TryParse(ReadOnlySpan<byte> record, out string? serverName, out List<string> protocols)
    {
        serverName = null;
        protocols = [];
        if (!LooksLikeTls(record) || record.Length < RecordHeaderLength + 4) return false;
        var body = record[RecordHeaderLength..];
        if (body[0] != ClientHello) return false;
        var length = (body[1] << 16) | (body[2] << 8) | body[3];
        var hello = body[4..];
        if (hello.Length > length) hello = hello[..length];
        // client_version (2) + random (32)
        if (!Skip(ref hello, 34)) return false;
        if (!SkipVector8(ref hello)) return false; // session_id
        if (!SkipVector16(ref hello)) return false; // cipher_suites
        if (!SkipVector8(ref hello)) return false; // compression_methods
        if (hello.Length == 0) return true; // no extensions
        if (hello.Length < 2) return false;
        var extensionsLength = BinaryPrimitives.ReadUInt16BigEndian(hello);
        var extensions = hello[2..];
        if (extensions.Length < extensionsLength) return false;
        extensions = extensions[..extensionsLength];
        while (extensions.Length >= 4)
        {
            var type = BinaryPrimitives.ReadUInt16BigEndian(extensions);
            var size = BinaryPrimitives.ReadUInt16BigEndian(extensions[2..]);
            if (extensions.Length < 4 + size) return false;
            var data = extensions.Slice(4, size);
            if (type == ServerNameExtension) serverName = ReadServerName(data);
            else if (type == AlpnExtension) ReadProtocols(data, protocols);
            extensions = extensions[(4 + size)..];
        }
        return true;
    }

    private static string? ReadServerName(ReadOnlySpan<byte> data)
    {
        if (data.Length < 2) return null;
        var list = data[2..];
        while (list.Length >= 3)
        {
            var kind = list[0];
            var length = BinaryPrimitives.ReadUInt16BigEndian(list[1..]);
            if (list.Length < 3 + length) return null;
            // host_name (0) is the only name type defined (RFC 6066 §3).
            if (kind == 0) return Encoding.ASCII.GetString(list.Slice(3, length)).ToLowerInvariant();
            list = list[(3 + length)..];
        }
        return null;
    }

    private static void ReadProtocols(ReadOnlySpan<byte> data, List<string> protocols)
    {
        if (data.Length < 2) return;
        var list = data[2..];
        while (list.Length >= 1)
        {
            var length = list[0];
            if (list.Length < 1 + length) return;
            protocols.Add(Encoding.ASCII.GetString(list.Slice(1, length)));
            list = list[(1 + length)..];
        }
    }

    private static bool Skip(ref ReadOnlySpan<byte> data, int count)
    {
        if (data.Length < count) return false;
        data = data[count..];
        return true;
    }

    private static bool SkipVector8(ref ReadOnlySpan<byte> data) => data.Length >= 1 && Skip(ref data, 1 + data[0]);

    private static bool SkipVector16(ref ReadOnlySpan<byte> data) => data.Length >= 2 && Skip(ref data, 2 + BinaryPrimitives.ReadUInt16BigEndian(data));
}
