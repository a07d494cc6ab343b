using System.Buffers;

namespace Rigging.Proxy.Listeners;

internal enum Http1Version
{
    /// <summary>The bytes so far could still start an HTTP/1 request: wait for more.</summary>
    Incomplete,
    NotHttp,
    Http10,
    Http11,
}

/// <summary>
/// Decides whether a connection opens with an HTTP/1 request line (<c>method SP target SP HTTP/1.x CRLF</c>), as
/// Envoy's http_inspector does for protocol sniffing. Like it, only the first 8 KiB are looked at: a longer line
/// is not called HTTP, and the connection goes to the TCP chain.
/// </summary>
internal static class Http1RequestLine
{
    public const int MaxInspected = 8 * 1024;
    private static ReadOnlySpan<byte> VersionPrefix => "HTTP/1."u8;

    public static Http1Version Classify(ReadOnlySequence<byte> buffer, bool completed)
    {
        var reader = new SequenceReader<byte>(buffer.Length > MaxInspected ? buffer.Slice(0, MaxInspected) : buffer);
        var part = Part.Method;
        var partLength = 0;
        Http1Version version = Http1Version.NotHttp;
        while (reader.TryRead(out var b))
        {
            switch (part)
            {
                case Part.Method when b == (byte)' ' && partLength > 0:
                case Part.Target when b == (byte)' ' && partLength > 0:
                    part++;
                    partLength = 0;
                    continue;
                case Part.Method when IsTokenChar(b):
                case Part.Target when b > 0x20 && b != 0x7F:
                    partLength++;
                    continue;
                case Part.Version when partLength < VersionPrefix.Length:
                    if (b != VersionPrefix[partLength]) return Http1Version.NotHttp;
                    partLength++;
                    continue;
                case Part.Version when partLength == VersionPrefix.Length:
                    if (b is not ((byte)'0' or (byte)'1')) return Http1Version.NotHttp;
                    version = b == (byte)'0' ? Http1Version.Http10 : Http1Version.Http11;
                    partLength++;
                    continue;
                case Part.Version when partLength == VersionPrefix.Length + 1:
                    if (b != (byte)'\r') return Http1Version.NotHttp;
                    partLength++;
                    continue;
                case Part.Version:
                    return b == (byte)'\n' ? version : Http1Version.NotHttp;
                default:
                    return Http1Version.NotHttp;
            }
        }
        return completed || buffer.Length >= MaxInspected ? Http1Version.NotHttp : Http1Version.Incomplete;
    }

    private enum Part
    {
        Method,
        Target,
        Version,
    }

    /// <summary>RFC 9110's tchar: the characters a method name may have.</summary>
    private static bool IsTokenChar(byte b) =>
        b is >= (byte)'a' and <= (byte)'z' or >= (byte)'A' and <= (byte)'Z' or >= (byte)'0' and <= (byte)'9'
            or (byte)'!' or (byte)'#' or (byte)'$' or (byte)'%' or (byte)'&' or (byte)'\'' or (byte)'*' or (byte)'+'
            or (byte)'-' or (byte)'.' or (byte)'^' or (byte)'_' or (byte)'`' or (byte)'|' or (byte)'~';
}
