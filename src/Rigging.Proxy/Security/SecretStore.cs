using System.Collections.Concurrent;

namespace Rigging.Proxy.Security;

/// <summary>
/// The proxy's secrets by SDS name, fed by the local certificate agent (<c>default</c>, <c>ROOTCA</c>) and by SDS
/// resources over ADS (gateway credentials). TLS contexts look secrets up per handshake, so a rotation applies to
/// the next connection without a restart; connections already open keep the certificate they started with.
/// </summary>
public sealed class SecretStore
{
    public const string WorkloadIdentity = "default";
    public const string RootCa = "ROOTCA";

    private readonly ConcurrentDictionary<string, SecretModel> _secrets = new(StringComparer.Ordinal);

    /// <summary>Raised after a secret is set or removed, with its name.</summary>
    public event Action<string>? Changed;

    public SecretModel? Get(string name) => _secrets.GetValueOrDefault(name);

    public void Set(string name, SecretModel secret)
    {
        _secrets[name] = secret;
        Changed?.Invoke(name);
    }

    public void Remove(string name)
    {
        if (_secrets.TryRemove(name, out _)) Changed?.Invoke(name);
    }

    public IReadOnlyCollection<string> Names => [.. _secrets.Keys];
}
