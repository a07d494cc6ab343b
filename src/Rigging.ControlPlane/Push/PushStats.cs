namespace Rigging.ControlPlane.Push;

/// <summary>What one push did and where its time went (for the bench and /metrics readers); filled in by the push.</summary>
public sealed class PushStats
{
    public string Request { get; internal set; } = "";

    /// <summary>Distinct proxy views (groups that share one generation).</summary>
    public int Views { get; internal set; }

    /// <summary>Views translated whole.</summary>
    public int FullGenerations { get; internal set; }

    /// <summary>Views whose ClusterLoadAssignments alone were regenerated.</summary>
    public int EndpointGenerations { get; internal set; }

    /// <summary>Views whose route table alone was refreshed (a VirtualService change).</summary>
    public int RouteGenerations { get; internal set; }

    /// <summary>Proxies given a snapshot.</summary>
    public int Proxies { get; internal set; }

    /// <summary>Proxies whose new snapshot was inconsistent (their previous one keeps serving).</summary>
    public int Refused { get; internal set; }

    public double ContextMilliseconds { get; internal set; }

    /// <summary>Wall time of translating every view (views run in parallel), consistency checks included.</summary>
    public double GenerateMilliseconds { get; internal set; }

    public double SetMilliseconds { get; internal set; }

    public double TotalMilliseconds { get; internal set; }

    /// <summary>When the push began and ended, in the push's TimeProvider timestamps (the system's: Stopwatch ticks).</summary>
    public long StartedTimestamp { get; internal set; }

    public long FinishedTimestamp { get; internal set; }

    public override string ToString() =>
        $"{Request}: {Proxies} proxies, {Views} views ({FullGenerations} full, {RouteGenerations} routes-only, {EndpointGenerations} endpoints-only) in {TotalMilliseconds:F1} ms " +
        $"(context {ContextMilliseconds:F1}, generate {GenerateMilliseconds:F1}, set {SetMilliseconds:F1})";
}
