using System.Text;
using FluentAssertions;
using Rigging.Proxy.Tests.Infrastructure;

namespace Rigging.Proxy.Tests.BadInput;

/// <summary>Hostile HTTP/1.1 input over raw sockets: refused with the right status, never forwarded, and the proxy keeps serving.</summary>
public sealed class BadInputTests : IAsyncLifetime
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(5);
    private int _hits;
    private TestBackend? _backend;
    private ProxyFixture? _mesh;
    private int _port;

    public async Task InitializeAsync()
    {
        _backend = await TestBackend.StartAsync("b", _ =>
        {
            Interlocked.Increment(ref _hits);
            return Task.CompletedTask;
        });
        _mesh = await ProxyFixture.StartAsync();
        _port = FreePort.Get();
        await _mesh.ApplyAsync(EnvoyConfig.EdsCluster("b"), EnvoyConfig.Endpoints("b", _backend.Port),
            EnvoyConfig.HttpListener("in", _port, "r"), EnvoyConfig.Routes("r", EnvoyConfig.Prefix("/", "b")));
    }

    public async Task DisposeAsync()
    {
        if (_mesh is not null) await _mesh.DisposeAsync();
        if (_backend is not null) await _backend.DisposeAsync();
    }

    private async Task<(int Status, bool Closed)> ExchangeAsync(string request)
    {
        await using var connection = await RawConnection.OpenAsync(_port);
        await connection.SendAsync(request);
        var (text, closed) = await connection.ReadUntilCloseAsync(Deadline);
        return (RawConnection.Status(text), closed);
    }

    [Fact]
    public async Task Request_headers_over_60_KiB_get_431_and_are_not_forwarded()
    {
        var (status, _) = await ExchangeAsync($"GET / HTTP/1.1\r\nHost: a\r\nX-Big: {new string('a', 61 * 1024)}\r\n\r\n");
        status.Should().Be(431);
        _hits.Should().Be(0);
    }

    [Fact]
    public async Task More_than_100_request_headers_get_431_and_are_not_forwarded()
    {
        var head = new StringBuilder("GET / HTTP/1.1\r\nHost: a\r\n");
        for (var i = 0; i < 101; i++) head.Append("X-H").Append(i).Append(": v\r\n");
        var (status, _) = await ExchangeAsync(head.Append("\r\n").ToString());
        status.Should().Be(431);
        _hits.Should().Be(0);
    }

    [Fact]
    public async Task Large_headers_within_the_limits_are_forwarded()
    {
        var head = new StringBuilder("GET / HTTP/1.1\r\nHost: a\r\nConnection: close\r\n");
        // The test backend is a default Kestrel (32 KiB of headers), so stay under that.
        for (var i = 0; i < 80; i++) head.Append("X-H").Append(i).Append(": v\r\n");
        head.Append("X-Big: ").Append('a', 28 * 1024).Append("\r\n\r\n");
        var (status, _) = await ExchangeAsync(head.ToString());
        status.Should().Be(200);
        _hits.Should().Be(1);
    }

    [Theory]
    [InlineData("Transfer-Encod?ng: chunked")]
    [InlineData("Transfer-Encod\u00c4\u00b1ng: chunked")]
    [InlineData("X-A: a\rb")]
    [InlineData("X-A: a\0b")]
    [InlineData("X-A : b")]
    [InlineData("X\u0001A: b")]
    public async Task Control_characters_in_header_lines_get_400_and_close(string line)
    {
        var (status, closed) = await ExchangeAsync($"GET / HTTP/1.1\r\nHost: a\r\n{line}\r\n\r\n");
        status.Should().Be(400);
        closed.Should().BeTrue();
        _hits.Should().Be(0);
    }

    [Theory]
    [InlineData("Transfer-Encoding: chunked\r\nTransfer-Encoding: chunked")]
    [InlineData("Transfer-Encoding: chunked, chunked")]
    [InlineData("Transfer-Encoding: chunked\r\nTransfer-Encoding: gzip")]
    [InlineData("Transfer-Encoding: \"chunked\"")]
    public async Task Conflicting_or_obfuscated_framing_gets_400_and_close(string headers)
    {
        var (status, closed) = await ExchangeAsync($"POST / HTTP/1.1\r\nHost: a\r\n{headers}\r\n\r\n0\r\n\r\n");
        status.Should().Be(400);
        closed.Should().BeTrue();
        _hits.Should().Be(0);
    }

    [Fact]
    public async Task Transfer_encoding_with_content_length_is_never_forwarded_with_both()
    {
        string? contentLength = null;
        var sawChunked = false;
        await using var backend = await TestBackend.StartAsync("c", c =>
        {
            contentLength = c.Request.Headers.ContentLength?.ToString(System.Globalization.CultureInfo.InvariantCulture);
            sawChunked = c.Request.Headers.TransferEncoding.ToString().Contains("chunked", StringComparison.OrdinalIgnoreCase);
            return Task.CompletedTask;
        });
        var port = FreePort.Get();
        await _mesh!.ApplyAsync(EnvoyConfig.EdsCluster("c"), EnvoyConfig.Endpoints("c", backend.Port),
            EnvoyConfig.HttpListener("in2", port, "r2"), EnvoyConfig.Routes("r2", EnvoyConfig.Prefix("/", "c")));
        await using var connection = await RawConnection.OpenAsync(port);
        await connection.SendAsync("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\nContent-Length: 5\r\nConnection: close\r\n\r\n0\r\n\r\n");
        var (text, closed) = await connection.ReadUntilCloseAsync(Deadline);
        var status = RawConnection.Status(text);
        // Either refused (400, closed) or normalised: Kestrel drops Content-Length and the upstream sees chunked only.
        if (status == 400) closed.Should().BeTrue();
        else
        {
            status.Should().Be(200);
            contentLength.Should().BeNull();
        }
    }

    [Fact]
    public async Task A_carriage_return_in_the_request_target_gets_400_and_close()
    {
        var (status, closed) = await ExchangeAsync("GET /a\rHTTP/1.1 HTTP/1.1\r\nHost: a\r\n\r\n");
        status.Should().Be(400);
        closed.Should().BeTrue();
        _hits.Should().Be(0);
    }

    [Fact]
    public async Task A_malformed_request_line_gets_400_and_the_proxy_keeps_serving()
    {
        foreach (var garbage in new[] { "GARBAGE\r\n\r\n", "GET\r\n\r\n", " GET / HTTP/1.1\r\nHost: a\r\n\r\n", "GET /a b c HTTP/1.1\r\nHost: a\r\n\r\n" })
        {
            var (status, closed) = await ExchangeAsync(garbage);
            status.Should().Be(400, garbage);
            closed.Should().BeTrue();
        }
        _hits.Should().Be(0);
        var (ok, _) = await ExchangeAsync("GET / HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n");
        ok.Should().Be(200);
        _hits.Should().Be(1);
    }

    [Fact]
    public async Task A_client_dribbling_its_headers_is_cut_off_after_the_headers_timeout()
    {
        await using var connection = await RawConnection.OpenAsync(_port);
        await connection.SendAsync("GET / HTTP/1.1\r\nHost: a\r\n");
        var started = System.Diagnostics.Stopwatch.StartNew();
        var closed = false;
        var text = "";
        // One header line a second, never the blank line: the 10 s headers timeout must end it (bounded to 30 s).
        for (var i = 0; i < 30 && !closed; i++)
        {
            try
            {
                await connection.SendAsync($"X-Slow-{i}: v\r\n");
            }
            catch (IOException)
            {
                closed = true;
                break;
            }
            (var chunk, closed) = await connection.ReadUntilCloseAsync(TimeSpan.FromSeconds(1));
            text += chunk;
        }
        closed.Should().BeTrue("a slow client must not hold a connection open forever");
        started.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(25));
        if (text.Length > 0) RawConnection.Status(text).Should().Be(408);
        _hits.Should().Be(0);
    }
}
