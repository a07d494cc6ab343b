using System.Buffers;
using System.IO.Pipelines;

namespace Rigging.Proxy.Listeners;

/// <summary>What the first bytes of a connection say, read without consuming them.</summary>
internal enum FirstBytes
{
    /// <summary>Nothing conclusive arrived (or the client said nothing in time).</summary>
    Unknown,
    Tls,
    Http2Preface,
    Connect,
    Other,
}

/// <summary>The result of peeking at a connection: its kind and, for TLS, the ClientHello's SNI and ALPN.</summary>
internal readonly record struct Sniffed(FirstBytes Kind, string? ServerName, IReadOnlyList<string> ApplicationProtocols)
{
    public string TransportProtocol => Kind == FirstBytes.Tls ? "tls" : "raw_buffer";
}

/// <summary>
/// Peeks at a new connection like Envoy's tls_inspector and http_inspector listener filters: a TLS ClientHello
/// (its first record, up to 16 KiB), the HTTP/2 prior-knowledge preface, or a CONNECT request line. Nothing is
/// consumed: the pipe is advanced to its start so the next reader (Kestrel's parser, a tunnel) sees every byte.
/// With <c>detectHttp</c> (a listener choosing between HTTP and TCP chains, Istio's protocol sniffing) a plaintext
/// connection also gets http_inspector's application protocol: "h2c" for the preface, "http/1.0" or "http/1.1"
/// for an HTTP/1 request line (<see cref="Http1RequestLine"/>), none for anything else.
/// </summary>
internal static class ConnectionSniffer
{
    private const int MaxTlsRecord = 16 * 1024 + ClientHelloParser.RecordHeaderLength;
    private const int PlainBytesNeeded = 8;
    private static readonly byte[] Preface = "PRI * HT"u8.ToArray();
    private static readonly byte[] ConnectMethod = "CONNECT "u8.ToArray();
    private static readonly string[] H2c = ["h2c"];
    private static readonly string[] Http10 = ["http/1.0"];
    private static readonly string[] Http11 = ["http/1.1"];

    public static async ValueTask<Sniffed> SniffAsync(PipeReader input, TimeSpan timeout, bool detectHttp = false)
    {
        using var deadline = new CancellationTokenSource(timeout);
        while (true)
        {
            ReadResult result;
            try
            {
                result = await input.ReadAsync(deadline.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                // Envoy's listener_filters_timeout: carry on with what is known (a raw connection).
                return new Sniffed(FirstBytes.Unknown, null, []);
            }
            var buffer = result.Buffer;
            if (TryClassify(buffer, result.IsCompleted, detectHttp, out var sniffed))
            {
                input.AdvanceTo(buffer.Start);
                return sniffed;
            }
            input.AdvanceTo(buffer.Start, buffer.End);
        }
    }

    private static bool TryClassify(ReadOnlySequence<byte> buffer, bool completed, bool detectHttp, out Sniffed sniffed)
    {
        sniffed = new Sniffed(FirstBytes.Unknown, null, []);
        if (buffer.Length == 0) return completed;
        Span<byte> head = stackalloc byte[PlainBytesNeeded];
        var headLength = (int)Math.Min(buffer.Length, PlainBytesNeeded);
        buffer.Slice(0, headLength).CopyTo(head);
        head = head[..headLength];
        if (ClientHelloParser.LooksLikeTls(head) || (headLength == 1 && head[0] == 0x16 && !completed))
        {
            if (headLength < ClientHelloParser.RecordHeaderLength && !completed) return false;
            var record = buffer.Length >= ClientHelloParser.RecordHeaderLength ? RecordLength(buffer) : -1;
            var wanted = record < 0 ? MaxTlsRecord : Math.Min(record, MaxTlsRecord);
            if (buffer.Length < wanted && !completed) return false;
            var bytes = buffer.Slice(0, Math.Min(buffer.Length, wanted)).ToArray();
            sniffed = ClientHelloParser.TryParse(bytes, out var name, out var alpn)
                ? new Sniffed(FirstBytes.Tls, name, alpn)
                : new Sniffed(FirstBytes.Tls, null, []);
            return true;
        }
        if (headLength < PlainBytesNeeded && !completed && IsPrefixOfKnown(head)) return false;
        var kind = head.SequenceEqual(Preface) ? FirstBytes.Http2Preface : head.SequenceEqual(ConnectMethod) ? FirstBytes.Connect : FirstBytes.Other;
        IReadOnlyList<string> protocols = [];
        if (detectHttp)
        {
            if (kind == FirstBytes.Http2Preface)
            {
                protocols = H2c;
            }
            else
            {
                var version = Http1RequestLine.Classify(buffer, completed);
                if (version == Http1Version.Incomplete) return false;
                protocols = version switch { Http1Version.Http10 => Http10, Http1Version.Http11 => Http11, _ => [] };
            }
        }
        sniffed = new Sniffed(kind, null, protocols);
        return true;
    }

    private static bool IsPrefixOfKnown(ReadOnlySpan<byte> head) =>
        Preface.AsSpan().StartsWith(head) || ConnectMethod.AsSpan().StartsWith(head);

    private static int RecordLength(ReadOnlySequence<byte> buffer)
    {
        Span<byte> header = stackalloc byte[ClientHelloParser.RecordHeaderLength];
        buffer.Slice(0, header.Length).CopyTo(header);
        return ClientHelloParser.RecordLength(header);
    }
}
