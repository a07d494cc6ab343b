using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using FluentAssertions;
using Rigging.Proxy.Tests.Infrastructure;
using Xunit;

namespace Rigging.Proxy.Tests.Security.Tls;

/// <summary>Certificate rotation on both proxies under steady load: new connections take the new certificate, no request fails.</summary>
public sealed class RotationTests
{
    private const int Workers = 4;
    private const int RequestsPerWorker = 100;

    [Fact]
    public async Task Rotating_default_twice_on_both_proxies_under_steady_load_fails_no_request()
    {
        // A short max_connection_duration makes the client proxy open new mTLS connections all through the run.
        await using var mesh = await MeshPair.StartAsync(upstreamConnectionLifetime: TimeSpan.FromMilliseconds(50));
        using var http = new HttpClient(new SocketsHttpHandler { UseProxy = false }) { Timeout = TimeSpan.FromSeconds(10) };
        var failures = new ConcurrentBag<string>();
        var hashes = new ConcurrentDictionary<string, int>(StringComparer.Ordinal);
        var handshakesBefore = mesh.ServerStat("ssl.handshake");
        var clock = Stopwatch.StartNew();

        async Task WorkerAsync()
        {
            for (var i = 0; i < RequestsPerWorker && clock.Elapsed < TimeSpan.FromSeconds(30); i++)
            {
                try
                {
                    using var response = await http.GetAsync(mesh.ClientUrl);
                    var body = await response.Content.ReadAsStringAsync();
                    if (response.StatusCode != HttpStatusCode.OK) failures.Add($"{(int)response.StatusCode} {body}");
                    else hashes.AddOrUpdate(HashOf(body), 1, static (_, n) => n + 1);
                }
                catch (HttpRequestException e)
                {
                    failures.Add(e.Message);
                }
                await Task.Delay(20);
            }
        }

        async Task RotateAsync()
        {
            for (var rotation = 0; rotation < 2; rotation++)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(700));
                mesh.SetIdentity(mesh.Server, "server");
                mesh.SetIdentity(mesh.Client, "client");
            }
        }

        var load = Enumerable.Range(0, Workers).Select(_ => WorkerAsync()).ToList();
        await Task.WhenAll([.. load, RotateAsync()]);

        failures.Should().BeEmpty();
        hashes.Values.Sum().Should().Be(Workers * RequestsPerWorker);
        // Three client certificates were seen by the server (the first and both replacements).
        hashes.Keys.Should().HaveCount(3);
        (mesh.ServerStat("ssl.handshake") - handshakesBefore).Should().BeGreaterThanOrEqualTo(3);
    }

    private static string HashOf(string xfcc)
    {
        foreach (var part in xfcc.Split(';'))
        {
            if (part.StartsWith("Hash=", StringComparison.Ordinal)) return part[5..];
        }
        return "";
    }
}
