using System.Collections.Concurrent;

namespace Rigging.Proxy.Security;

/// <summary>
/// The proxy's secrets by SDS name, fed by the local certificate agent (<c>default</c>, <c>ROOTCA</c>) and by SDS
/// resources over ADS (gateway credentials, or the workload's own when no agent runs). A name the agent provides
/// wins over one from ADS. TLS contexts look secrets up per handshake, so a rotation applies to the next
/// connection without a restart; connections already open keep the certificate they started with.
/// </summary>
public sealed class SecretStore
{
    public const string WorkloadIdentity = "default";
    public const string RootCa = "ROOTCA";

    private readonly ConcurrentDictionary<string, SecretModel> _local = new(StringComparer.Ordinal);
    private volatile IReadOnlyDictionary<string, SecretModel> _xds = new Dictionary<string, SecretModel>(StringComparer.Ordinal);

    /// <summary>Raised after a local secret is set or removed, with its name.</summary>
    public event Action<string>? Changed;

    public SecretModel? Get(string name) => _local.TryGetValue(name, out var local) ? local : _xds.GetValueOrDefault(name);

    /// <summary>Sets a secret from the local agent (it wins over an SDS resource of the same name).</summary>
    public void Set(string name, SecretModel secret)
    {
        _local[name] = secret;
        Changed?.Invoke(name);
    }

    public void Remove(string name)
    {
        if (_local.TryRemove(name, out _)) Changed?.Invoke(name);
    }

    /// <summary>True when the local agent provides this name (the proxy then does not ask ADS for it).</summary>
    public bool IsLocal(string name) => _local.ContainsKey(name);

    /// <summary>Replaces every secret that came over ADS (SDS is state of the world).</summary>
    internal void ReplaceFromXds(IReadOnlyDictionary<string, SecretModel> secrets) => _xds = secrets;

    public IReadOnlyCollection<string> Names => [.. _local.Keys.Union(_xds.Keys, StringComparer.Ordinal)];
}
