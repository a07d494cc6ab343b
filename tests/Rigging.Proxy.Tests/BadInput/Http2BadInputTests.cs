using System.Buffers.Binary;
using System.Text;
using FluentAssertions;
using Rigging.Proxy.Tests.Infrastructure;

namespace Rigging.Proxy.Tests.BadInput;

/// <summary>
/// HTTP/2 (h2c prior knowledge) requests written frame by frame, since real clients drop connection-specific
/// headers before sending: such a request must be refused (stream reset or 400) and never reach the upstream,
/// where an HTTP/1.1 hop could read its framing differently.
/// </summary>
public sealed class Http2BadInputTests
{
    [Theory]
    [InlineData("connection", "keep-alive")]
    [InlineData("transfer-encoding", "chunked")]
    [InlineData("keep-alive", "timeout=5")]
    [InlineData("upgrade", "websocket")]
    [InlineData("x-a", "a\r\nx-b: b")]
    public async Task Http2_request_with_a_connection_specific_or_broken_header_is_refused_and_not_forwarded(string name, string value)
    {
        var badForwarded = 0;
        await using var backend = await TestBackend.StartAsync("b", c =>
        {
            if (c.Request.Path == "/bad") Interlocked.Increment(ref badForwarded);
            return Task.CompletedTask;
        });
        await using var mesh = await ProxyFixture.StartAsync();
        var port = FreePort.Get();
        await mesh.ApplyAsync(EnvoyConfig.EdsCluster("b"), EnvoyConfig.Endpoints("b", backend.Port),
            EnvoyConfig.HttpListener("in", port, "r"), EnvoyConfig.Routes("r", EnvoyConfig.Prefix("/", "b")));

        // A well-formed request on stream 1 proves the connection is HTTP/2 and forwarded; the bad one on stream 3 is refused.
        await using var connection = await RawConnection.OpenAsync(port);
        var frames = new List<byte>();
        frames.AddRange("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"u8.ToArray());
        frames.AddRange(Frame(type: 4, flags: 0, stream: 0, []));
        frames.AddRange(Frame(type: 1, flags: 0x5, stream: 1, Headers("/ok", [])));
        frames.AddRange(Frame(type: 1, flags: 0x5, stream: 3, Headers("/bad", [(name, value)])));
        await connection.Stream.WriteAsync(frames.ToArray());

        var outcomes = await ReadOutcomesAsync(connection.Stream, TimeSpan.FromSeconds(5));
        // Kestrel answers some with a connection error (GOAWAY), which may end stream 1 too; the bad one is what matters.
        outcomes.Should().ContainKey(3, "the bad stream must be answered, not left hanging");
        outcomes[3].Should().BeOneOf("reset", "goaway", "400");
        if (outcomes[3] != "goaway") outcomes.Should().ContainKey(1).WhoseValue.Should().Be("200");
        badForwarded.Should().Be(0);
    }

    private static byte[] Headers(string path, List<(string Name, string Value)> extra)
    {
        var block = new List<byte>();
        void Literal(string n, string v)
        {
            // Literal header field without indexing, new name (RFC 7541 6.2.2), lengths < 127, no Huffman.
            block.Add(0);
            block.Add((byte)n.Length);
            block.AddRange(Encoding.Latin1.GetBytes(n));
            block.Add((byte)v.Length);
            block.AddRange(Encoding.Latin1.GetBytes(v));
        }
        Literal(":method", "GET");
        Literal(":scheme", "http");
        Literal(":path", path);
        Literal(":authority", "a");
        foreach (var (n, v) in extra) Literal(n, v);
        return [.. block];
    }

    private static byte[] Frame(byte type, byte flags, int stream, byte[] payload)
    {
        var frame = new byte[9 + payload.Length];
        frame[0] = (byte)(payload.Length >> 16);
        frame[1] = (byte)(payload.Length >> 8);
        frame[2] = (byte)payload.Length;
        frame[3] = type;
        frame[4] = flags;
        BinaryPrimitives.WriteInt32BigEndian(frame.AsSpan(5), stream);
        payload.CopyTo(frame, 9);
        return frame;
    }

    /// <summary>Per stream: "200"/"400"/... from a HEADERS frame (static-table :status), "reset", or "goaway" for all open ones.</summary>
    private static async Task<Dictionary<int, string>> ReadOutcomesAsync(Stream stream, TimeSpan deadline)
    {
        var outcomes = new Dictionary<int, string>();
        using var timeout = new CancellationTokenSource(deadline);
        var header = new byte[9];
        try
        {
            for (var i = 0; i < 100 && (!outcomes.ContainsKey(1) || !outcomes.ContainsKey(3)); i++)
            {
                await stream.ReadExactlyAsync(header, timeout.Token);
                var length = (header[0] << 16) | (header[1] << 8) | header[2];
                var id = BinaryPrimitives.ReadInt32BigEndian(header.AsSpan(5)) & 0x7fffffff;
                var payload = new byte[length];
                await stream.ReadExactlyAsync(payload, timeout.Token);
                switch (header[3])
                {
                    case 1 when payload.Length > 0:
                        // :status is the first field; Kestrel sends the common codes as static-table indexes 8-14.
                        outcomes.TryAdd(id, (payload[0] & 0x7f) switch { 8 => "200", 12 => "400", 13 => "404", 14 => "500", var x => "index " + x });
                        break;
                    case 3:
                        outcomes.TryAdd(id, "reset");
                        break;
                    case 7:
                        outcomes.TryAdd(3, "goaway");
                        if (BinaryPrimitives.ReadInt32BigEndian(payload) < 1) outcomes.TryAdd(1, "goaway");
                        break;
                }
            }
        }
        catch (Exception e) when (e is OperationCanceledException or EndOfStreamException or IOException)
        {
            // What arrived before the deadline or the close is the answer.
        }
        return outcomes;
    }
}
