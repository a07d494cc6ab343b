using System.Collections.Concurrent;
using FluentAssertions;
using Rigging.Api.Networking;
using Rigging.ControlPlane.Config;
using Rigging.ControlPlane.Tests.Host;

namespace Rigging.ControlPlane.Tests.Config;

/// <summary>The watched directory: new files are picked up, bad ones rejected whole while the last good serves.</summary>
public sealed class ConfigStoreTests : IAsyncLifetime
{
    private const string Reviews = """
        apiVersion: networking.istio.io/v1
        kind: VirtualService
        metadata:
          name: reviews
        spec:
          hosts: [reviews]
          http:
          - route:
            - destination:
                host: reviews
                subset: v1
        """;

    private readonly string _directory = TempDirectory.Create();
    private readonly ConcurrentQueue<ConfigChange> _changes = new();
    private ConfigStore _store = null!;

    public async Task InitializeAsync()
    {
        _store = new ConfigStore(new ConfigStoreOptions { Directory = _directory, RescanPeriod = TimeSpan.FromSeconds(30) });
        _store.Changed += (_, change) => _changes.Enqueue(change);
        await _store.StartAsync();
    }

    public async Task DisposeAsync()
    {
        await _store.DisposeAsync();
        TempDirectory.Delete(_directory);
    }

    [Fact]
    public async Task New_file_is_picked_up_by_the_watcher_and_reported_as_a_change()
    {
        await File.WriteAllTextAsync(Path.Combine(_directory, "reviews.yaml"), Reviews);

        (await TestMesh.EventuallyAsync(() => _store.Snapshot.Find(new ResourceKey("VirtualService", "default", "reviews")) is not null)).Should().BeTrue();
        _changes.Should().ContainSingle().Which.Kinds.Should().BeEquivalentTo(["VirtualService"]);
    }

    [Fact]
    public async Task Bad_file_is_rejected_whole_and_its_last_good_version_keeps_serving()
    {
        var file = Path.Combine(_directory, "reviews.yaml");
        await File.WriteAllTextAsync(file, Reviews);
        await _store.ReloadAsync();

        await File.WriteAllTextAsync(file, Reviews.Replace("subset: v1", "subset: v2", StringComparison.Ordinal) + "\n---\n" + Reviews.Replace("name: reviews", "name: broken", StringComparison.Ordinal).Replace("subset: v1", "subset: Not_A_Label", StringComparison.Ordinal));
        await _store.ReloadAsync();

        var serving = _store.Snapshot.Find(new ResourceKey("VirtualService", "default", "reviews"))!.SpecAs<VirtualService>();
        serving.Http![0].Route![0].Destination!.Subset.Should().Be("v1", "the whole file was rejected, including its valid document");
        _store.Snapshot.Find(new ResourceKey("VirtualService", "default", "broken")).Should().BeNull();
        var error = _store.Errors.Should().ContainSingle().Subject;
        error.File.Should().Be(file);
        error.Messages.Should().Contain(d => d.Field == "spec.http[0].route[0].destination.subset" && d.Line > 12 && d.Resource == "VirtualService default/broken");

        await File.WriteAllTextAsync(file, Reviews.Replace("subset: v1", "subset: v3", StringComparison.Ordinal));
        (await TestMesh.EventuallyAsync(() => _store.Errors.Count == 0)).Should().BeTrue("a fixed file clears its errors");
        _store.Snapshot.Find(new ResourceKey("VirtualService", "default", "reviews"))!.SpecAs<VirtualService>().Http![0].Route![0].Destination!.Subset.Should().Be("v3");
    }

    [Fact]
    public async Task Deleted_file_removes_its_resources()
    {
        var file = Path.Combine(_directory, "reviews.yaml");
        await File.WriteAllTextAsync(file, Reviews);
        await _store.ReloadAsync();

        File.Delete(file);

        (await TestMesh.EventuallyAsync(() => _store.Snapshot.Resources.IsEmpty)).Should().BeTrue();
    }
}
