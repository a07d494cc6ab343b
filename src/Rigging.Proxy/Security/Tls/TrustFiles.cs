using System.Collections.Concurrent;
using System.Security.Cryptography.X509Certificates;

namespace Rigging.Proxy.Security.Tls;

/// <summary>
/// Trust bundles named by file, parsed once per version of the file: a bundle such as the system's (about 140
/// certificates) would otherwise be read and parsed again at every config update that names it. A file whose size
/// or modification time changed is read again. The collections are shared and never modified.
/// </summary>
internal static class TrustFiles
{
    private static readonly ConcurrentDictionary<string, Entry> Parsed = new(StringComparer.Ordinal);

    private sealed record Entry(long Length, DateTime Modified, X509Certificate2Collection Roots);

    /// <summary>The file's certificates, parsed by <paramref name="parse"/> from its text when not parsed yet.</summary>
    /// <exception cref="IOException">The file cannot be read.</exception>
    public static X509Certificate2Collection Load(string path, Func<string, X509Certificate2Collection> parse)
    {
        var file = new FileInfo(path);
        var (length, modified) = (file.Length, file.LastWriteTimeUtc); // Length throws FileNotFoundException when it is gone
        if (Parsed.TryGetValue(path, out var entry) && entry.Length == length && entry.Modified == modified) return entry.Roots;
        var roots = parse(File.ReadAllText(path));
        Parsed[path] = new Entry(length, modified, roots);
        return roots;
    }
}
