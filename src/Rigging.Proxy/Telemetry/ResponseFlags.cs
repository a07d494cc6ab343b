namespace Rigging.Proxy.Telemetry;

/// <summary>Envoy's response flags: why a response is what it is, for stats and access logs.</summary>
[Flags]
public enum ResponseFlags
{
    None = 0,
    /// <summary>UH: no healthy upstream host.</summary>
    NoHealthyUpstream = 1,
    /// <summary>UF: upstream connection failure.</summary>
    UpstreamConnectionFailure = 2,
    /// <summary>UO: upstream overflow (circuit breaking).</summary>
    UpstreamOverflow = 4,
    /// <summary>NR: no route configured.</summary>
    NoRouteFound = 8,
    /// <summary>URX: upstream retry limit exceeded.</summary>
    UpstreamRetryLimitExceeded = 16,
    /// <summary>UT: upstream request timeout.</summary>
    UpstreamRequestTimeout = 32,
    /// <summary>DC: downstream connection termination.</summary>
    DownstreamConnectionTermination = 64,
    /// <summary>FI: fault injected (abort).</summary>
    FaultInjected = 128,
    /// <summary>DI: fault injected (delay).</summary>
    DelayInjected = 256,
    /// <summary>UC: upstream connection termination.</summary>
    UpstreamConnectionTermination = 512,
    /// <summary>NC: no cluster found.</summary>
    NoClusterFound = 1024,
    /// <summary>UR: upstream remote reset.</summary>
    UpstreamRemoteReset = 2048,
}

/// <summary>The short names Envoy prints (UH, UF, ...), comma separated, or "-".</summary>
public static class ResponseFlagNames
{
    private static readonly (ResponseFlags Flag, string Name)[] Names =
    [
        (ResponseFlags.NoHealthyUpstream, "UH"), (ResponseFlags.UpstreamConnectionFailure, "UF"), (ResponseFlags.UpstreamOverflow, "UO"),
        (ResponseFlags.NoRouteFound, "NR"), (ResponseFlags.UpstreamRetryLimitExceeded, "URX"), (ResponseFlags.UpstreamRequestTimeout, "UT"),
        (ResponseFlags.DownstreamConnectionTermination, "DC"), (ResponseFlags.FaultInjected, "FI"), (ResponseFlags.DelayInjected, "DI"),
        (ResponseFlags.UpstreamConnectionTermination, "UC"), (ResponseFlags.NoClusterFound, "NC"), (ResponseFlags.UpstreamRemoteReset, "UR"),
    ];

    public static string Format(ResponseFlags flags)
    {
        if (flags == ResponseFlags.None) return "-";
        var parts = new List<string>(2);
        foreach (var (flag, name) in Names)
        {
            if ((flags & flag) != 0) parts.Add(name);
        }
        return string.Join(',', parts);
    }
}
