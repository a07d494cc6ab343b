using System.Collections.Frozen;

namespace Rigging.Proxy.Clusters;

/// <summary>
/// Owns every <see cref="ClusterState"/>: a cluster that stays across updates keeps its connections and
/// counters; one that goes is disposed after a grace period so requests in flight finish.
/// </summary>
public sealed class ClusterRegistry(Random random, TimeProvider? time = null, Security.SecretStore? secrets = null, Telemetry.ProxyStats? stats = null) : IDisposable
{
    private static readonly TimeSpan RemovalGrace = TimeSpan.FromSeconds(30);
    private readonly TimeProvider _time = time ?? TimeProvider.System;
    private FrozenDictionary<string, ClusterState> _states = FrozenDictionary<string, ClusterState>.Empty;

    public FrozenDictionary<string, ClusterState> Current => _states;

    /// <summary>Makes the registry hold exactly these clusters. Called by one writer (the config loop).</summary>
    public FrozenDictionary<string, ClusterState> Commit(IReadOnlyDictionary<string, ClusterModel> models)
    {
        var next = new Dictionary<string, ClusterState>(StringComparer.Ordinal);
        foreach (var (name, model) in models)
        {
            if (_states.TryGetValue(name, out var state)) state.Update(model);
            else state = new ClusterState(model, random, _time, secrets, stats);
            next[name] = state;
        }
        foreach (var (name, state) in _states)
        {
            if (!next.ContainsKey(name)) _ = RetireAsync(state);
        }
        return _states = next.ToFrozenDictionary(StringComparer.Ordinal);
    }

    private static async Task RetireAsync(ClusterState state)
    {
        await Task.Delay(RemovalGrace).ConfigureAwait(false);
        state.Dispose();
    }

    public void Dispose()
    {
        foreach (var state in _states.Values) state.Dispose();
    }
}
