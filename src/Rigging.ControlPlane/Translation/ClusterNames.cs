namespace Rigging.ControlPlane.Translation;

/// <summary>Istio's cluster names: <c>outbound|9080|v1|reviews.default.svc.cluster.local</c>, <c>inbound|9080||</c>.</summary>
public static class ClusterNames
{
    public static string Outbound(string host, int port, string? subset = null) => $"outbound|{port}|{subset}|{host}";

    public static string Inbound(int port) => $"inbound|{port}||";

    public const string Passthrough = "PassthroughCluster";

    public const string BlackHole = "BlackHoleCluster";

    /// <summary>Splits an outbound name into its parts; false for other names.</summary>
    public static bool TryParseOutbound(string name, out string host, out int port, out string subset)
    {
        host = subset = "";
        port = 0;
        var parts = name.Split('|');
        if (parts.Length != 4 || parts[0] != "outbound" || !int.TryParse(parts[1], System.Globalization.CultureInfo.InvariantCulture, out port)) return false;
        subset = parts[2];
        host = parts[3];
        return true;
    }
}
