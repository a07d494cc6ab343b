namespace Rigging.ControlPlane.Translation.Security.GatewayTls;

/// <summary>Gateway server hosts ("ns/host" or "host") and how they meet VirtualService and SNI hosts.</summary>
internal static class GatewayHosts
{
    public static List<string> Of(IReadOnlyList<string?>? hosts) =>
        (hosts ?? []).OfType<string>().Select(h => h.Contains('/') ? h[(h.IndexOf('/') + 1)..] : h).ToList();

    public static bool Intersect(string server, string host) =>
        server == "*" || host == "*" || string.Equals(server, host, StringComparison.OrdinalIgnoreCase)
        || PushContext.Covers(server, host) || PushContext.Covers(host, server);

    /// <summary>SNI names for a TLS filter chain: none (match every name) when the server takes any host.</summary>
    public static IEnumerable<string> ServerNames(List<string> hosts) => hosts.Contains("*") ? [] : hosts;
}
