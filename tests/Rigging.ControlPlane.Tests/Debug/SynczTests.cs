using System.Collections.Concurrent;
using System.Text.Json;
using FluentAssertions;
using Rigging.ControlPlane.Tests.Host;
using Rigging.Xds.Cache;
using Rigging.Xds.Client;

namespace Rigging.ControlPlane.Tests.Debug;

/// <summary>The debug pages show what each proxy was sent, ACKed and NACKed, and what it was generated.</summary>
public sealed class SynczTests
{
    [Fact]
    public async Task Syncz_shows_a_proxy_nack_with_its_message_and_metrics_count_it()
    {
        await using var mesh = await TestMesh.StartAsync(null, ("reviews.yaml", TestMesh.ReviewsService));
        mesh.Connect("picky-1", "picky", new Dictionary<string, string> { ["app"] = "picky" }, "127.0.0.3", 15006, null,
            u => u.TypeUrl == TypeUrls.Listener ? ApplyResult.Reject("listener 0.0.0.0_15006: port in use") : ApplyResult.Accept());

        JsonElement? listener = null;
        (await TestMesh.EventuallyAsync(async () =>
        {
            var json = JsonDocument.Parse(await mesh.Http.GetStringAsync("/debug/syncz")).RootElement;
            listener = json.EnumerateArray().Where(p => p.GetProperty("proxy").GetString() == "picky-1")
                .SelectMany(p => p.GetProperty("types").EnumerateArray())
                .FirstOrDefault(t => t.GetProperty("type").GetString() == "Listener" && t.TryGetProperty("nackMessage", out _));
            return listener is { ValueKind: JsonValueKind.Object };
        })).Should().BeTrue();

        listener!.Value.GetProperty("nackMessage").GetString().Should().Be("listener 0.0.0.0_15006: port in use");
        listener.Value.GetProperty("status").GetString().Should().Be("NACKED");
        // When the response went out: the time a stale proxy has been waiting on it.
        listener.Value.GetProperty("sentAt").GetDateTimeOffset().Should().BeAfter(DateTimeOffset.UnixEpoch);
        (await mesh.Http.GetStringAsync("/metrics")).Should().MatchRegex(@"rigging_xds_nacks_total [1-9]");
    }

    [Fact]
    public async Task Config_dump_and_registryz_show_generated_resources_and_registered_instances()
    {
        await using var mesh = await TestMesh.StartAsync(null, ("reviews.yaml", TestMesh.ReviewsService));
        var seen = new ConcurrentDictionary<string, AdsUpdate>();
        mesh.Connect("reviews-1", "reviews", new Dictionary<string, string> { ["app"] = "reviews" }, "127.0.0.7", 15106, seen);
        (await TestMesh.EventuallyAsync(() => seen.ContainsKey(TypeUrls.Cluster))).Should().BeTrue();

        var dump = await mesh.Http.GetStringAsync("/debug/config_dump?proxy=reviews-1");
        dump.Should().Contain("outbound|9080||reviews.default.svc.cluster.local").And.Contain("\"type\": \"Cluster\"");
        var registry = await mesh.Http.GetStringAsync("/debug/registryz");
        registry.Should().Contain("reviews.default.svc.cluster.local").And.Contain("127.0.0.7:15106");
        (await mesh.Http.GetAsync("/debug/config_dump?proxy=nobody")).StatusCode.Should().Be(System.Net.HttpStatusCode.NotFound);
        (await mesh.Http.GetStringAsync("/ready")).Should().Be("ready\n");
    }
}
