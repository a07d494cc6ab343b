using System.Collections.Frozen;

namespace Rigging.ControlPlane.Config.Secrets;

/// <summary>The credentials of one push, by name (immutable).</summary>
public sealed class CredentialSet
{
    private readonly FrozenDictionary<string, Credential> _byName;

    public CredentialSet(IEnumerable<Credential> credentials)
    {
        var byName = new Dictionary<string, Credential>(StringComparer.Ordinal);
        foreach (var credential in credentials) byName[credential.Name] = credential;
        _byName = byName.ToFrozenDictionary(StringComparer.Ordinal);
    }

    public static CredentialSet Empty { get; } = new([]);

    public int Count => _byName.Count;

    public Credential? Find(string name) => _byName.GetValueOrDefault(name);

    /// <summary>
    /// The CA bundle for a credential, as Istio finds it: the secret's own ca.crt, else a separate secret named
    /// "NAME-cacert".
    /// </summary>
    public string? FindCa(string name) =>
        Find(name)?.CaCertificates is { Length: > 0 } own ? own : Find(name + "-cacert")?.CaCertificates;
}
