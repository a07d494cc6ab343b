using Rigging.ControlPlane.Translation;
using FluentAssertions;
using Envoy.Config.Core.V3;
using Google.Protobuf.WellKnownTypes;
using Rigging.ControlPlane.Config;
using Rigging.ControlPlane.Push;
using Rigging.ControlPlane.Registry;
using Rigging.ControlPlane.Tests.Host;
using Rigging.Xds.Cache;

namespace Rigging.ControlPlane.Tests.Push;

/// <summary>
/// The push path without sockets: a config store over a temporary directory, a proxy registry fed with nodes as
/// the ADS server would, a snapshot cache and the pusher. Config changes are read by explicit reloads.
/// </summary>
internal sealed class PushHarness : IAsyncDisposable
{
    private readonly List<ConfigChange> _changes = [];

    private PushHarness(string directory, ConfigStore store)
    {
        Directory = directory;
        Store = store;
        Registry = new ProxyRegistry(TimeSpan.FromSeconds(10));
        Pusher = new XdsPusher(Store, Registry, Cache);
        Store.Changed += (_, change) =>
        {
            lock (_changes) _changes.Add(change);
        };
    }

    public string Directory { get; }

    public ConfigStore Store { get; }

    public ProxyRegistry Registry { get; }

    public SnapshotCache Cache { get; } = new();

    public XdsPusher Pusher { get; }

    public static async Task<PushHarness> StartAsync(params (string File, string Text)[] files)
    {
        var directory = TempDirectory.Create();
        foreach (var (file, text) in files) await File.WriteAllTextAsync(Path.Combine(directory, file), text);
        var store = new ConfigStore(new ConfigStoreOptions { Directory = directory, RescanPeriod = TimeSpan.FromHours(1) });
        await store.ReloadAsync();
        return new PushHarness(directory, store);
    }

    /// <summary>Writes a file, reloads the store, and pushes what the reload changed as the host would.</summary>
    public async Task<PushStats> WriteAndPushAsync(string file, string text)
    {
        await File.WriteAllTextAsync(Path.Combine(Directory, file), text);
        int before;
        lock (_changes) before = _changes.Count;
        await Store.ReloadAsync();
        ConfigChange[] changes;
        lock (_changes) changes = _changes.Skip(before).ToArray();
        if (changes.Length == 0) throw new InvalidOperationException($"writing {file} changed no resource");
        var request = changes.Select(c => PushRequest.ForConfig(c.Kinds)).Aggregate((a, b) => a.Merge(b));
        await Pusher.PushAsync(request);
        return Pusher.LastStats!;
    }

    public static Node Node(
        string id, string ns, IReadOnlyDictionary<string, string> labels, string serviceAccount = "default", string address = "10.0.0.1",
        int? inbound = null, int? app = null, int? outbound = 15001, string? generator = null)
    {
        var metadata = new Struct();
        var labelStruct = new Struct();
        foreach (var (key, value) in labels) labelStruct.Fields[key] = Value.ForString(value);
        metadata.Fields["NAME"] = Value.ForString(id);
        metadata.Fields["NAMESPACE"] = Value.ForString(ns);
        metadata.Fields["LABELS"] = Value.ForStruct(labelStruct);
        metadata.Fields["SERVICE_ACCOUNT"] = Value.ForString(serviceAccount);
        metadata.Fields["INSTANCE_IPS"] = Value.ForString(address);
        if (inbound is { } i) metadata.Fields[NodeMetadata.InboundPortKey] = Value.ForNumber(i);
        if (app is { } a) metadata.Fields[NodeMetadata.AppPortKey] = Value.ForNumber(a);
        if (outbound is { } o) metadata.Fields[NodeMetadata.OutboundPortKey] = Value.ForNumber(o);
        if (generator is not null) metadata.Fields["GENERATOR"] = Value.ForString(generator);
        return new Node { Id = id, Metadata = metadata };
    }

    /// <summary>What each proxy holds equals, byte for byte, a generation for that proxy alone from the same state.</summary>
    public void AssertEachProxyHoldsItsOwnGeneration(IEnumerable<Node> nodes)
    {
        var push = Pusher.BuildContext();
        foreach (var node in nodes)
        {
            var view = XdsPusher.Classify(NodeMetadata.ToProxyView(node), push);
            var own = Snapshot.Create(ProxyGenerator.Generate(view, push));
            var held = Cache.GetSnapshot(node.Id);
            held.Should().NotBeNull(node.Id);
            foreach (var type in TypeUrls.ResponseOrder)
                Bytes(held!, type).Should().Equal(Bytes(own, type), $"{node.Id} {TypeUrls.ShortName(type)}");
        }
    }

    public static List<KeyValuePair<string, string>> Bytes(Snapshot snapshot, string type) =>
        [.. snapshot.Get(type).Resources.OrderBy(r => r.Key, StringComparer.Ordinal).Select(r => KeyValuePair.Create(r.Key, Convert.ToBase64String(r.Value.Any.Value.Span)))];

    public async ValueTask DisposeAsync()
    {
        await Store.DisposeAsync();
        Registry.Dispose();
        TempDirectory.Delete(Directory);
    }
}
