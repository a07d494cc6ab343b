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
    /// <summary>UAEX: refused by the external authorization service (or it failed and failure_mode_allow is off).</summary>
    UnauthorizedExternalService = 4096,
    /// <summary>RBAC: denied by the RBAC filter.</summary>
    RbacAccessDenied = 8192,
}

/// <summary>The short names Envoy prints (UH, UF, ...), comma separated, or "-".</summary>
public static class ResponseFlagNames
{
    /// <summary>Envoy's short names, index i naming the flag with value 1 &lt;&lt; i.</summary>
    public static readonly string[] All = ["UH", "UF", "UO", "NR", "URX", "UT", "DC", "FI", "DI", "UC", "NC", "UR", "UAEX", "RBAC"];

    public static int IndexOf(string name) => Array.IndexOf(All, name);

    public static string Format(ResponseFlags flags)
    {
        if (flags == ResponseFlags.None) return "-";
        var bits = (int)flags;
        // One flag (the usual case) is a cached string; several are joined.
        if ((bits & (bits - 1)) == 0)
        {
            var index = System.Numerics.BitOperations.Log2((uint)bits);
            return index < All.Length ? All[index] : "-";
        }
        var parts = new List<string>(2);
        for (var i = 0; i < All.Length; i++)
        {
            if ((bits & (1 << i)) != 0) parts.Add(All[i]);
        }
        return string.Join(',', parts);
    }
}
