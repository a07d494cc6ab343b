using Envoy.Config.Route.V3;
using FluentAssertions;
using Rigging.Api.Networking;
using Rigging.ControlPlane.Tests.Host;
using Rigging.Xds.Cache;

namespace Rigging.ControlPlane.Tests.Push;

/// <summary>A flood of config writes (950 in about a second after a first round every file settles on, some invalid) against the real watched store and pusher.</summary>
public sealed class ConfigFloodTests
{
    private const int Files = 50;
    private const int Rounds = 20;

    private const string Reviews = """
        apiVersion: v1
        kind: Service
        metadata: {name: reviews, namespace: default}
        spec:
          selector: {app: reviews}
          ports: [{name: http, port: 9080}]
        ---
        apiVersion: networking.istio.io/v1
        kind: DestinationRule
        metadata: {name: reviews, namespace: default}
        spec:
          host: reviews
          subsets: [{name: v1, labels: {version: v1}}, {name: v2, labels: {version: v2}}]
        """;

    [Fact]
    public async Task Thousand_writes_in_a_second_end_in_the_last_write_with_few_pushes_and_last_good_kept()
    {
        await using var mesh = await TestMesh.StartAsync(null, ("reviews.yaml", Reviews));
        mesh.Connect("client-1", "client", new Dictionary<string, string> { ["app"] = "client" }, "127.0.0.1", null);
        (await TestMesh.EventuallyAsync(() => mesh.Host.Cache.GetSnapshot("client-1") is not null)).Should().BeTrue();

        // Round 0 first, until the store has read every file: each file then has a last good version, whatever
        // rounds the debounced scans of the flood happen to read (a file read only while invalid has none).
        for (var file = 0; file < Files; file++) await File.WriteAllTextAsync(Path.Combine(mesh.Directory, $"vs-{file}.yaml"), VirtualService(file, 0));
        (await TestMesh.EventuallyAsync(() => Enumerable.Range(0, Files).All(f => ServedWeight(mesh, f) == Weight(0)), seconds: 20)).Should().BeTrue("round 0 is read");
        await Task.Delay(1500); // let round 0's push run before counting
        var pushesBefore = mesh.Host.Pusher.Metrics.Pushes;

        var clock = System.Diagnostics.Stopwatch.StartNew();
        for (var i = Files; i < Files * Rounds; i++)
        {
            var (round, file) = (i / Files, i % Files);
            await File.WriteAllTextAsync(Path.Combine(mesh.Directory, $"vs-{file}.yaml"), Invalid(round, file) ? Broken(file, round) : VirtualService(file, round));
            if (i % 25 == 24) await Task.Delay(20);
        }
        var writing = clock.Elapsed;

        // Every file ends as its last write when that is valid (round 19). A file whose last write is invalid keeps
        // the last good version the store *read*: the watcher debounces a flood, so which valid round that is depends
        // on when scans ran, but it is always a valid round's content, never the broken one and never nothing.
        var settled = await TestMesh.EventuallyAsync(() => Enumerable.Range(0, Files).All(f => Settled(ServedWeight(mesh, f), f)), seconds: 20);
        var wrong = string.Join(", ", Enumerable.Range(0, Files).Where(f => !Settled(ServedWeight(mesh, f), f)).Select(f => $"vs-{f}: {ServedWeight(mesh, f)}"));
        settled.Should().BeTrue($"the store serves each file's last good write (writes took {writing.TotalMilliseconds:F0} ms; unsettled: {wrong})");
        (await TestMesh.EventuallyAsync(() => RouteWeight(mesh) == Weight(Rounds - 1), seconds: 10)).Should().BeTrue("the proxy's route follows the last write");
        await Task.Delay(1500); // let any push still waiting in the debouncer run before counting

        var pushes = mesh.Host.Pusher.Metrics.Pushes - pushesBefore;
        // The push debouncer's leading edge sends the first change after each quiet gap at once: at most one more push
        // per burst than the trailing edge alone (12 here), so at most twice as many.
        pushes.Should().BeInRange(1, 24, $"1000 writes in {writing.TotalMilliseconds:F0} ms are coalesced by the store's debounce and the push debounce");
        mesh.Host.Store.Errors.Select(e => Path.GetFileName(e.File)).Should().BeEquivalentTo(
            Enumerable.Range(0, Files).Where(f => f % 10 == 3).Select(f => $"vs-{f}.yaml"), "the files whose last write was invalid are reported");
        (await mesh.Http.GetAsync(new Uri("/ready", UriKind.Relative))).IsSuccessStatusCode.Should().BeTrue();
    }

    private static bool Invalid(int round, int file) => round % 5 == 2 || (round == Rounds - 1 && file % 10 == 3);

    private static bool Settled(int? served, int file) =>
        file % 10 == 3
            ? served is { } w && w >= 1 && w <= Weight(Rounds - 2) && !Invalid(w - 1, file)
            : served == Weight(Rounds - 1);

    private static int Weight(int round) => round + 1;

    private static string Name(int file) => file == 0 ? "reviews" : $"flood-{file}";

    private static string VirtualService(int file, int round) => $$$"""
        apiVersion: networking.istio.io/v1
        kind: VirtualService
        metadata: {name: {{{Name(file)}}}, namespace: default}
        spec:
          hosts: [{{{(file == 0 ? "reviews" : $"flood-{file}.example.com")}}}]
          http:
          - route:
            - {destination: {host: reviews, subset: v1}, weight: {{{Weight(round)}}}}
            - {destination: {host: reviews, subset: v2}, weight: {{{100 - Weight(round)}}}}
        """;

    // Half-valid: parses as YAML, but a weight is not a number, so the whole file is refused.
    private static string Broken(int file, int round) => VirtualService(file, round).Replace($"weight: {Weight(round)}}}", "weight: heavy}", StringComparison.Ordinal);

    private static int? ServedWeight(TestMesh mesh, int file)
    {
        var resource = mesh.Host.Store.Snapshot.Resources.FirstOrDefault(r => r.Spec is VirtualService && r.Name == Name(file));
        return (resource?.Spec as VirtualService)?.Http?[0].Route?[0].Weight;
    }

    private static int? RouteWeight(TestMesh mesh)
    {
        if (mesh.Host.Cache.GetSnapshot("client-1") is not { } snapshot) return null;
        foreach (var (_, resource) in snapshot.Get(TypeUrls.RouteConfiguration).Resources)
        {
            var vhost = ((RouteConfiguration)resource.Message).VirtualHosts.FirstOrDefault(v => v.Name == "reviews.default.svc.cluster.local:9080");
            if (vhost?.Routes.FirstOrDefault()?.Route_?.WeightedClusters is { } weighted)
                return (int?)weighted.Clusters.FirstOrDefault(c => c.Name.Contains("|v1|", StringComparison.Ordinal))?.Weight;
        }
        return null;
    }
}
