namespace Rigging.Proxy.Bench;

/// <summary>The scenarios by the key `--scenarios` takes (comma-separated; all when absent) and by their printed name.</summary>
internal static class Scenarios
{
    public const string Direct = "direct";
    public const string Rig = "rig x2";
    public const string RigMtls = "rig x2 mtls+authz";
    public const string Nginx = "nginx x2";
    public const string NginxTls = "nginx x2 tls";

    public static IReadOnlyDictionary<string, string> ByKey { get; } = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["direct"] = Direct,
        ["rig"] = Rig,
        ["rig-mtls"] = RigMtls,
        ["nginx"] = Nginx,
        ["nginx-tls"] = NginxTls,
    };

    /// <summary>Each secured scenario and the plaintext one its security cost is measured against.</summary>
    public static IReadOnlyList<(string Secured, string Plaintext)> SecuredPairs { get; } = [(RigMtls, Rig), (NginxTls, Nginx)];

    /// <summary>The secured rig hops against the secured nginx hops.</summary>
    public static IReadOnlyList<(string Rig, string Nginx)> SecuredComparison { get; } = [(RigMtls, NginxTls)];

    /// <returns>The chosen scenario names, or null with <paramref name="error"/> set for an unknown key.</returns>
    public static HashSet<string>? Parse(string? list, out string? error)
    {
        error = null;
        if (list is null) return [.. ByKey.Values];
        var chosen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var key in list.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (!ByKey.TryGetValue(key, out var name))
            {
                error = $"--scenarios: unknown scenario '{key}' (known: {string.Join(", ", ByKey.Keys)})";
                return null;
            }
            chosen.Add(name);
        }
        return chosen;
    }
}
