using System.Buffers;
using System.Text;
using FluentAssertions;
using Rigging.Proxy.Listeners;

namespace Rigging.Proxy.Tests.Listeners;

/// <summary>http_inspector's question for a sniffed port: does this connection open with an HTTP/1 request line?</summary>
public sealed class Http1RequestLineTests
{
    [Theory]
    [InlineData("GET / HTTP/1.1\r\nHost: a\r\n\r\n", "Http11")]
    [InlineData("POST /upload?x=1 HTTP/1.0\r\n", "Http10")]
    [InlineData("M-SEARCH * HTTP/1.1\r\n", "Http11")]
    [InlineData("CONNECT db:5432 HTTP/1.1\r\n\r\n", "Http11")]
    [InlineData("GET /", "Incomplete")]
    [InlineData("GET / HTTP/1.1\r", "Incomplete")]
    [InlineData("G", "Incomplete")]
    [InlineData("ping\n", "NotHttp")]
    [InlineData("GET / HTTP/2.0\r\n", "NotHttp")]
    [InlineData("GET  / HTTP/1.1\r\n", "NotHttp")]
    [InlineData("GET / HTTP/1.1\n", "NotHttp")]
    [InlineData("\u0016\u0003\u0001", "NotHttp")]
    [InlineData("*1\r\n$4\r\nPING\r\n", "NotHttp")]
    public void Classifies_the_first_bytes(string first, string expected) =>
        Http1RequestLine.Classify(new ReadOnlySequence<byte>(Encoding.Latin1.GetBytes(first)), completed: false).Should().Be(Enum.Parse<Http1Version>(expected));

    [Fact]
    public void A_partial_line_from_a_client_that_stopped_writing_is_not_http() =>
        Http1RequestLine.Classify(new ReadOnlySequence<byte>("GET /"u8.ToArray()), completed: true).Should().Be(Http1Version.NotHttp);

    [Fact]
    public void A_request_line_longer_than_the_inspected_window_is_not_http()
    {
        var line = "GET /" + new string('a', Http1RequestLine.MaxInspected) + " HTTP/1.1\r\n";
        Http1RequestLine.Classify(new ReadOnlySequence<byte>(Encoding.ASCII.GetBytes(line)), completed: false).Should().Be(Http1Version.NotHttp);
    }

    [Fact]
    public void A_line_split_across_segments_is_read_whole()
    {
        var first = new Segment("GET /pa"u8.ToArray());
        var last = first.Append("th HTTP/1.1\r\n"u8.ToArray());
        Http1RequestLine.Classify(new ReadOnlySequence<byte>(first, 0, last, last.Memory.Length), completed: false).Should().Be(Http1Version.Http11);
    }

    private sealed class Segment : ReadOnlySequenceSegment<byte>
    {
        public Segment(byte[] bytes) => Memory = bytes;

        public Segment Append(byte[] bytes)
        {
            var next = new Segment(bytes) { RunningIndex = RunningIndex + Memory.Length };
            Next = next;
            return next;
        }
    }
}
