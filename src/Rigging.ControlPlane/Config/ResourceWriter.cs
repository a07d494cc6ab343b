using System.Globalization;
using System.Text;
using Rigging.Api.Diagnostics;
using Rigging.Api.Loading;
using Rigging.Api.Model;
using Rigging.Api.Validation;

namespace Rigging.ControlPlane.Config;

/// <summary>
/// The write side of the store, behind POST and DELETE /apis/v1/resources: validate first (nothing is written when
/// any document has an error), then persist one file per document (&lt;kind&gt;-&lt;ns&gt;-&lt;name&gt;.yaml) with an
/// atomic rename, then reload so the answer reflects the store. A resource that already lives in a file of its own
/// is rewritten in place; one that shares a file with others is refused (edit that file instead).
/// </summary>
public sealed class ResourceWriter(ConfigStore store)
{
    private readonly SemaphoreSlim _writeLock = new(1, 1);

    public async Task<ResourceApiResult> ApplyAsync(string text, string source, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(text);
        var validated = ConfigValidator.ValidateText(source, text);
        var warnings = validated.Diagnostics.Where(d => d.Severity != Severity.Info).ToList();
        if (validated.HasErrors) return new ResourceApiResult(400, [], warnings, "the request has errors; nothing was applied");
        if (validated.Resources.Count == 0) return new ResourceApiResult(400, [], warnings, "the request holds no resources");

        await _writeLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var writes = new List<(string Path, string Text, List<Resource> Resources)>();
            var json = text.TrimStart().StartsWith('{');
            foreach (var document in json ? [text] : DocumentSplitter.Split(text))
            {
                var resources = ConfigLoader.LoadText(source, document).Resources.ToList();
                if (resources.Count == 0) continue;
                var target = TargetFile(resources[0], json, out var conflict);
                if (conflict is not null) return new ResourceApiResult(409, [], warnings, conflict);
                writes.Add((target, document, resources));
            }

            var results = new List<string>();
            foreach (var (path, document, resources) in writes)
            {
                var existed = resources.Select(r => store.Snapshot.Find(ResourceKey.Of(r)) is not null).ToList();
                await WriteAtomicallyAsync(path, document, cancellationToken).ConfigureAwait(false);
                for (var i = 0; i < resources.Count; i++) results.Add($"{resources[i].DisplayName} {(existed[i] ? "configured" : "created")}");
            }
            await store.ReloadAsync(cancellationToken).ConfigureAwait(false);
            return new ResourceApiResult(200, results, warnings);
        }
        finally
        {
            _writeLock.Release();
        }
    }

    public async Task<ResourceApiResult> DeleteAsync(string kind, string ns, string name, CancellationToken cancellationToken = default)
    {
        var info = KnownKinds.All.FirstOrDefault(k => string.Equals(k.Kind, kind, StringComparison.OrdinalIgnoreCase));
        if (info is null) return new ResourceApiResult(404, [], [], $"unknown kind '{kind}'; known kinds: {string.Join(", ", KnownKinds.All.Select(k => k.Kind))}");
        var key = new ResourceKey(info.Kind, info.Namespaced ? ns : "", name);
        await _writeLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (store.Snapshot.FileOf(key) is not { } file) return new ResourceApiResult(404, [], [], $"{key} not found");
            var others = store.Snapshot.Resources.Count(r => store.Snapshot.FileOf(ResourceKey.Of(r)) == file);
            if (others > 1) return new ResourceApiResult(409, [], [], $"{key} is defined in {file} with {others - 1} other resource(s); edit that file to remove it");
            File.Delete(file);
            await store.ReloadAsync(cancellationToken).ConfigureAwait(false);
            return new ResourceApiResult(200, [$"{key} deleted"], []);
        }
        finally
        {
            _writeLock.Release();
        }
    }

    private string TargetFile(Resource resource, bool json, out string? conflict)
    {
        conflict = null;
        var key = ResourceKey.Of(resource);
        var snapshot = store.Snapshot;
        if (snapshot.FileOf(key) is { } existing)
        {
            var count = snapshot.Resources.Count(r => snapshot.FileOf(ResourceKey.Of(r)) == existing);
            if (count == 1) return existing;
            conflict = $"{key} is already defined in {existing} with other resources; edit that file instead";
            return existing;
        }
        var stem = key.Namespace.Length == 0 ? $"{key.Kind}-{key.Name}" : $"{key.Kind}-{key.Namespace}-{key.Name}";
        return Path.Combine(store.Directory, Sanitize(stem) + (json ? ".json" : ".yaml"));
    }

    private static string Sanitize(string stem)
    {
        var builder = new StringBuilder(stem.Length);
        foreach (var c in stem.ToLowerInvariant()) builder.Append(char.IsAsciiLetterOrDigit(c) || c is '-' or '.' ? c : '_');
        return builder.ToString();
    }

    private static async Task WriteAtomicallyAsync(string path, string text, CancellationToken cancellationToken)
    {
        var temp = Path.Combine(Path.GetDirectoryName(path)!, string.Create(CultureInfo.InvariantCulture, $".{Path.GetFileName(path)}.{Environment.ProcessId}.tmp"));
        await File.WriteAllTextAsync(temp, text, new UTF8Encoding(false), cancellationToken).ConfigureAwait(false);
        File.Move(temp, path, overwrite: true);
    }
}
