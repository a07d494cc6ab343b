using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Rigging.ControlPlane.Config.Secrets;

/// <summary>
/// Reads gateway credentials from the config store's secrets directory: one folder per credentialName holding
/// the keys of a Kubernetes TLS Secret as files —
/// <c>&lt;config dir&gt;/secrets/&lt;name&gt;/tls.crt</c>, <c>tls.key</c> and optionally <c>ca.crt</c> (Istio's generic
/// layout <c>cert</c>, <c>key</c>, <c>cacert</c> is read too). A CA-only folder (just ca.crt), such as
/// "NAME-cacert", is a validation secret. Files are small PEM; a folder that cannot be read is skipped and logged,
/// never fatal. The config store ignores these files (they are not YAML), so keys never enter its snapshot.
/// </summary>
public sealed class CredentialDirectory
{
    /// <summary>Largest file read (a PEM bundle far beyond any real chain is refused).</summary>
    public const int MaxFileBytes = 1 << 20;

    private readonly ILogger _logger;

    public CredentialDirectory(string directory, ILogger? logger = null)
    {
        Directory = Path.GetFullPath(directory);
        _logger = logger ?? NullLogger.Instance;
    }

    /// <summary>The conventional place: "secrets" under the config directory.</summary>
    public static CredentialDirectory UnderConfig(string configDirectory, ILogger? logger = null) =>
        new(Path.Combine(configDirectory, "secrets"), logger);

    public string Directory { get; }

    /// <summary>Reads every credential folder now (a missing directory is no credentials).</summary>
    public CredentialSet Load()
    {
        if (!System.IO.Directory.Exists(Directory)) return CredentialSet.Empty;
        var credentials = new List<Credential>();
        foreach (var folder in System.IO.Directory.EnumerateDirectories(Directory).Order(StringComparer.Ordinal))
        {
            var name = Path.GetFileName(folder);
            if (name.StartsWith('.')) continue;
            try
            {
                var credential = new Credential(
                    name,
                    Read(folder, "tls.crt", "cert"),
                    Read(folder, "tls.key", "key"),
                    Read(folder, "ca.crt", "cacert"));
                if (credential.CertificateChain is null && credential.CaCertificates is null) continue;
                credentials.Add(credential);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or InvalidDataException)
            {
                SecretsLog.Unreadable(_logger, folder, ex.Message);
            }
        }
        return new CredentialSet(credentials);
    }

    private static string? Read(string folder, string name, string alternative)
    {
        var path = Path.Combine(folder, name);
        if (!File.Exists(path)) path = Path.Combine(folder, alternative);
        if (!File.Exists(path)) return null;
        if (new FileInfo(path).Length > MaxFileBytes) throw new InvalidDataException($"{path} is larger than {MaxFileBytes} bytes");
        var text = File.ReadAllText(path);
        return text.Length == 0 ? null : text;
    }
}
