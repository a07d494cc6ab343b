using System.Collections.Immutable;
using Google.Protobuf;
using Rigging.Xds.Cache;

namespace Rigging.Proxy.Config;

/// <summary>
/// The xDS resources the proxy holds, per type (state of the world): what it last accepted, plus a candidate
/// update while that is being compiled. Immutable; <see cref="With"/> makes the candidate.
/// </summary>
public sealed class XdsResources
{
    private readonly ImmutableDictionary<string, TypeResources> _types;

    private XdsResources(ImmutableDictionary<string, TypeResources> types)
    {
        _types = types;
    }

    public static XdsResources Empty { get; } = new(ImmutableDictionary.Create<string, TypeResources>(StringComparer.Ordinal));

    /// <summary>A copy with <paramref name="typeUrl"/>'s resources replaced; <paramref name="updated"/> is when they arrived (config_dump's last_updated).</summary>
    public XdsResources With(string typeUrl, string version, IReadOnlyList<IMessage> resources, DateTimeOffset? updated = null) =>
        new(_types.SetItem(typeUrl, new TypeResources(version, resources, updated)));

    public IReadOnlyList<T> Get<T>(string typeUrl) where T : IMessage =>
        _types.TryGetValue(typeUrl, out var set) ? set.Resources.OfType<T>().ToList() : [];

    public string Version(string typeUrl) => _types.TryGetValue(typeUrl, out var set) ? set.Version : "";

    public DateTimeOffset? LastUpdated(string typeUrl) => _types.TryGetValue(typeUrl, out var set) ? set.Updated : null;

    /// <summary>The types held, in xDS response order (clusters before listeners before routes).</summary>
    public IEnumerable<string> Types => TypeUrls.ResponseOrder.Where(_types.ContainsKey);

    public IReadOnlyList<IMessage> All(string typeUrl) => _types.TryGetValue(typeUrl, out var set) ? set.Resources : [];

    private sealed record TypeResources(string Version, IReadOnlyList<IMessage> Resources, DateTimeOffset? Updated);
}
