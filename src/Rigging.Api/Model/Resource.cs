namespace Rigging.Api.Model;

/// <summary>
/// One configuration resource as read from a file: its type, metadata, typed spec and where each of its fields was
/// written (for messages). Immutable.
/// </summary>
public sealed record Resource
{
    public const string DefaultNamespace = "default";

    public required string ApiVersion { get; init; }
    public required KindInfo Kind { get; init; }
    public required ObjectMeta Metadata { get; init; }

    /// <summary>The typed spec (for example <c>Networking.VirtualService</c>), or null for kinds without one.</summary>
    public object? Spec { get; init; }

    /// <summary>Where the document starts.</summary>
    public required SourceSpan Source { get; init; }

    /// <summary>Line and column of each field, by path (<c>spec.http[0].route</c>).</summary>
    public IReadOnlyDictionary<string, SourceSpan> FieldSpans { get; init; } = new Dictionary<string, SourceSpan>();

    public string Name => Metadata.Name ?? "";

    public string Namespace => Kind.Namespaced ? Metadata.Namespace ?? DefaultNamespace : "";

    /// <summary><c>Kind namespace/name</c>, as istioctl names a resource in its messages.</summary>
    public string DisplayName => Kind.Namespaced ? $"{Kind.Kind} {Namespace}/{Name}" : $"{Kind.Kind} {Name}";

    public T SpecAs<T>() where T : class =>
        Spec as T ?? throw new InvalidOperationException($"{DisplayName} has no {typeof(T).Name} spec");

    /// <summary>Where a field was written; falls back to its nearest written parent, then to the document.</summary>
    public SourceSpan Locate(string? path)
    {
        while (!string.IsNullOrEmpty(path))
        {
            if (FieldSpans.TryGetValue(path, out var span)) return span;
            var cut = Math.Max(path.LastIndexOf('.'), path.LastIndexOf('['));
            path = cut > 0 ? path[..cut] : null;
        }
        return Source;
    }
}
