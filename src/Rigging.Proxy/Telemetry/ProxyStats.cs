using System.Collections.Concurrent;
using Rigging.Proxy.Http.Forwarding;

namespace Rigging.Proxy.Telemetry;

/// <summary>
/// The proxy's counters (Envoy's names): requests and responses by code class per listener stat prefix, and
/// responses by flag. Lock-free on the request path; formatted for /stats by the admin endpoint.
/// </summary>
public sealed class ProxyStats(TimeProvider time)
{
    private long _active;
    private readonly ConcurrentDictionary<(string Prefix, string Name), Counter> _counters = new();

    public long ActiveRequests => Interlocked.Read(ref _active);

    public long RequestStarted()
    {
        Interlocked.Increment(ref _active);
        return time.GetTimestamp();
    }

    public void RequestFinished(string prefix, ForwardOutcome outcome, long started)
    {
        Interlocked.Decrement(ref _active);
        Increment(prefix, "downstream_rq_total");
        Increment(prefix, outcome.Status switch
        {
            < 200 => "downstream_rq_1xx",
            < 300 => "downstream_rq_2xx",
            < 400 => "downstream_rq_3xx",
            < 500 => "downstream_rq_4xx",
            _ => "downstream_rq_5xx",
        });
        if (outcome.Flags != ResponseFlags.None) Increment(prefix, "response_flags_" + ResponseFlagNames.Format(outcome.Flags));
        _ = time.GetElapsedTime(started);
    }

    public void Increment(string prefix, string name) => _counters.GetOrAdd((prefix, name), static _ => new Counter()).Increment();

    public long Get(string prefix, string name) => _counters.TryGetValue((prefix, name), out var counter) ? counter.Value : 0;

    public IEnumerable<(string Prefix, string Name, long Value)> Counters =>
        _counters.Select(kv => (kv.Key.Prefix, kv.Key.Name, kv.Value.Value)).OrderBy(c => c.Prefix, StringComparer.Ordinal).ThenBy(c => c.Name, StringComparer.Ordinal);

    private sealed class Counter
    {
        private long _value;

        public long Value => Interlocked.Read(ref _value);

        public void Increment() => Interlocked.Increment(ref _value);
    }
}
