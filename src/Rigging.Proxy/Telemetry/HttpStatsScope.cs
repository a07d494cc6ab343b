using Rigging.Proxy.Http.Forwarding;

namespace Rigging.Proxy.Telemetry;

/// <summary>
/// The counters of one HTTP connection manager stat prefix, created before requests need them: recording a
/// request touches only these fields (no lookup, no allocation).
/// </summary>
public sealed class HttpStatsScope(string prefix)
{
    private readonly Counter[] _byClass = [new(), new(), new(), new(), new()];
    private readonly Counter[] _byFlag = CreateFlagCounters();

    public string Prefix { get; } = prefix;

    public Counter RequestsTotal { get; } = new();

    public Histogram RequestTime { get; } = new();

    /// <summary>Responses of class 1xx..5xx (index 0..4).</summary>
    public Counter ResponsesOfClass(int codeClass) => _byClass[Math.Clamp(codeClass, 1, 5) - 1];

    /// <summary>Responses carrying the flag at <paramref name="index"/> of <see cref="ResponseFlagNames.All"/>.</summary>
    public Counter ResponsesWithFlag(int index) => _byFlag[index];

    public void Record(in ForwardOutcome outcome, double milliseconds)
    {
        RequestsTotal.Increment();
        _byClass[Math.Clamp(outcome.Status / 100, 1, 5) - 1].Increment();
        if (outcome.Flags != ResponseFlags.None)
        {
            var flags = (int)outcome.Flags;
            for (var i = 0; i < _byFlag.Length; i++)
            {
                if ((flags & (1 << i)) != 0) _byFlag[i].Increment();
            }
        }
        RequestTime.Record(milliseconds);
    }

    /// <summary>A counter by its Envoy-style name (downstream_rq_total, downstream_rq_2xx, response_flags_UF), or null.</summary>
    public Counter? Find(string name)
    {
        if (name == "downstream_rq_total") return RequestsTotal;
        if (name.Length == "downstream_rq_2xx".Length && name.StartsWith("downstream_rq_", StringComparison.Ordinal) && name.EndsWith("xx", StringComparison.Ordinal)
            && name[14] is >= '1' and <= '5')
            return _byClass[name[14] - '1'];
        if (name.StartsWith("response_flags_", StringComparison.Ordinal))
        {
            var index = ResponseFlagNames.IndexOf(name["response_flags_".Length..]);
            if (index >= 0) return _byFlag[index];
        }
        return null;
    }

    private static Counter[] CreateFlagCounters()
    {
        var counters = new Counter[ResponseFlagNames.All.Length];
        for (var i = 0; i < counters.Length; i++) counters[i] = new Counter();
        return counters;
    }
}
