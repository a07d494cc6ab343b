using System.Collections.Concurrent;
using System.Collections.Frozen;
using Microsoft.AspNetCore.Http;
using Rigging.Proxy.Http.Forwarding;

namespace Rigging.Proxy.Telemetry;

/// <summary>
/// The proxy's statistics (Envoy's names): per HTTP stat prefix, requests, responses by code class and by
/// response flag, and the request-duration histogram (<see cref="HttpStatsScope"/>, created when a snapshot
/// names the prefix, so a request only reads a frozen map); plus rare named counters (connection events).
/// Lock-free on the request path; formatted for /stats by <see cref="PrometheusFormat"/>.
/// </summary>
public sealed class ProxyStats(TimeProvider time, AccessLog? accessLog = null)
{
    private long _active;
    private readonly ConcurrentDictionary<string, HttpStatsScope> _scopes = new(StringComparer.Ordinal);
    private volatile FrozenDictionary<string, HttpStatsScope> _prepared = FrozenDictionary<string, HttpStatsScope>.Empty;
    private readonly ConcurrentDictionary<(string Prefix, string Name), Counter> _counters = new();

    public long ActiveRequests => Interlocked.Read(ref _active);

    /// <summary>The access log, when enabled (off by default).</summary>
    public AccessLog? AccessLog => accessLog;

    /// <summary>Creates the scopes of a new snapshot's stat prefixes before its requests arrive. Scopes are never removed
    /// (their counters must keep counting across updates, as Envoy's do).</summary>
    public void Prepare(IEnumerable<string> prefixes)
    {
        foreach (var prefix in prefixes) _scopes.GetOrAdd(prefix, static p => new HttpStatsScope(p));
        _prepared = _scopes.ToFrozenDictionary(StringComparer.Ordinal);
    }

    public HttpStatsScope Scope(string prefix) =>
        _prepared.TryGetValue(prefix, out var scope) ? scope : _scopes.GetOrAdd(prefix, static p => new HttpStatsScope(p));

    public IReadOnlyCollection<HttpStatsScope> Scopes => [.. _scopes.Values.OrderBy(s => s.Prefix, StringComparer.Ordinal)];

    public long RequestStarted()
    {
        Interlocked.Increment(ref _active);
        return time.GetTimestamp();
    }

    public void RequestFinished(string prefix, ForwardOutcome outcome, long started) => RequestFinished(prefix, outcome, started, null);

    /// <summary>Counts a finished request and, when the access log is on and the context given, writes its line.</summary>
    public void RequestFinished(string prefix, ForwardOutcome outcome, long started, HttpContext? context)
    {
        Interlocked.Decrement(ref _active);
        var elapsed = time.GetElapsedTime(started);
        Scope(prefix).Record(outcome, elapsed.TotalMilliseconds);
        if (accessLog is not null && context is not null) accessLog.Write(context, outcome, elapsed, time);
    }

    /// <summary>A rare, named counter (connection-level events); the request path uses <see cref="Scope"/>.</summary>
    public void Increment(string prefix, string name) => _counters.GetOrAdd((prefix, name), static _ => new Counter()).Increment();

    public long Get(string prefix, string name)
    {
        if (_scopes.TryGetValue(prefix, out var scope) && scope.Find(name) is { } counter) return counter.Value;
        return _counters.TryGetValue((prefix, name), out var named) ? named.Value : 0;
    }

    /// <summary>The named counters, sorted by name then prefix.</summary>
    public IEnumerable<(string Prefix, string Name, long Value)> Counters =>
        _counters.Select(kv => (kv.Key.Prefix, kv.Key.Name, kv.Value.Value)).OrderBy(c => c.Name, StringComparer.Ordinal).ThenBy(c => c.Prefix, StringComparer.Ordinal);
}
