using System.Collections.Immutable;
using System.Security.Cryptography;
using Rigging.Api.Diagnostics;
using Rigging.Api.Model;
using Rigging.Api.Validation;

namespace Rigging.ControlPlane.Config;

/// <summary>One reload: compare content hashes, validate changed files, rebuild the snapshot when resources changed.</summary>
public sealed partial class ConfigStore
{
    private static readonly string[] Extensions = [".yaml", ".yml", ".json"];

    private long _version;
    private DateTimeOffset _lastScanStart = DateTimeOffset.MinValue;

    /// <summary>The config files under the directory, in a stable order (hidden and temporary files are skipped).</summary>
    public IReadOnlyList<string> ListFiles() =>
        System.IO.Directory.EnumerateFiles(Directory, "*", SearchOption.AllDirectories)
            .Where(f => Extensions.Contains(Path.GetExtension(f), StringComparer.OrdinalIgnoreCase) && !Path.GetFileName(f).StartsWith('.'))
            .Order(StringComparer.Ordinal)
            .ToList();

    private void Scan()
    {
        var logger = _options.Logger;
        var changed = new HashSet<ResourceKey>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        // File times come from the system's clock whatever clock the store was given.
        var scanStart = TimeProvider.System.GetUtcNow();
        foreach (var file in ListFiles())
        {
            seen.Add(file);
            _files.TryGetValue(file, out var entry);
            FileStamp stamp;
            byte[] bytes;
            try
            {
                stamp = FileStamp.Of(file);
                if (entry is not null && stamp.Unchanged(entry.Stamp, _lastScanStart)) continue;
                bytes = File.ReadAllBytes(file);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                continue; // being written or gone; the next event or rescan reads it
            }

            var hash = Convert.ToHexString(SHA256.HashData(bytes));
            if (entry?.Hash == hash)
            {
                _files[file] = entry with { Stamp = stamp };
                continue;
            }
            if (bytes.AsSpan().Trim(" \t\r\n"u8).IsEmpty && entry is { Good.Length: > 0, EmptySeen: false })
            {
                // Editors truncate before writing: an empty file is believed only when the next scan still sees it.
                _files[file] = entry with { EmptySeen = true, Stamp = FileStamp.None };
                _debounce?.Change(_options.Debounce, Timeout.InfiniteTimeSpan);
                continue;
            }

            var result = ConfigValidator.ValidatePaths([file]);
            var previous = entry?.Good ?? [];
            if (result.HasErrors)
            {
                var messages = result.Diagnostics.Where(d => d.Severity != Severity.Info).ToList();
                _files[file] = new FileEntry(hash, previous, new ConfigFileError(file, _options.TimeProvider.GetUtcNow(), messages), Stamp: stamp);
                ConfigLog.FileRejected(logger, file, messages.Count(d => d.Severity == Severity.Error), messages.First(d => d.Severity == Severity.Error).ToString());
                continue;
            }

            foreach (var r in previous) changed.Add(ResourceKey.Of(r));
            foreach (var r in result.Resources) changed.Add(ResourceKey.Of(r));
            _files[file] = new FileEntry(hash, [.. result.Resources], null, Stamp: stamp);
            ConfigLog.FileLoaded(logger, file, result.Resources.Count);
        }

        foreach (var file in _files.Keys.Where(f => !seen.Contains(f)).ToList())
        {
            var good = _files[file].Good;
            foreach (var r in good) changed.Add(ResourceKey.Of(r));
            _files.Remove(file);
            ConfigLog.FileRemoved(logger, file, good.Length);
        }

        _lastScanStart = scanStart;
        var errors = _files.Values.Where(e => e.Error is not null).Select(e => e.Error!).ToList();
        if (changed.Count == 0)
        {
            _errors = [.. errors.OrderBy(e => e.File, StringComparer.Ordinal)];
            return;
        }

        var snapshot = new ConfigSnapshot(Entries(errors), ++_version);
        _errors = [.. errors.OrderBy(e => e.File, StringComparer.Ordinal)];
        _snapshot = snapshot;
        Changed?.Invoke(this, new ConfigChange(changed.ToImmutableHashSet(), snapshot));
    }

    /// <summary>Every good resource with its file, files in order; a later duplicate is reported and left out.</summary>
    private IEnumerable<(Resource, string)> Entries(List<ConfigFileError> errors)
    {
        var first = new Dictionary<ResourceKey, string>();
        var entries = new List<(Resource, string)>();
        foreach (var (file, entry) in _files.OrderBy(f => f.Key, StringComparer.Ordinal))
        {
            foreach (var resource in entry.Good)
            {
                var key = ResourceKey.Of(resource);
                if (first.TryAdd(key, file))
                {
                    entries.Add((resource, file));
                    continue;
                }
                var message = $"{key} is also defined in {first[key]}; the first definition is used";
                errors.Add(new ConfigFileError(file, _options.TimeProvider.GetUtcNow(),
                    [new Diagnostic(Severity.Warning, file, resource.Source.Line, resource.Source.Column, resource.DisplayName, null, message)]));
                ConfigLog.Duplicate(_options.Logger, key.ToString(), file, first[key]);
            }
        }
        return entries;
    }
}
