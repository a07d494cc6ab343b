using System.Text.Json;

namespace Rigging.Proxy.Http.Filters.Rbac;

/// <summary>A value found in dynamic metadata: missing, a string, a list of strings, or JSON (JWT claims).</summary>
public readonly struct MetadataValue
{
    private MetadataValue(MetadataValueKind kind, string? text, IReadOnlyList<string>? list, JsonElement json)
    {
        Kind = kind;
        Text = text;
        List = list;
        Json = json;
    }

    public static MetadataValue Missing => default;

    public MetadataValueKind Kind { get; }

    public string? Text { get; }

    public IReadOnlyList<string>? List { get; }

    public JsonElement Json { get; }

    public static MetadataValue Of(string? text) => text is null ? Missing : new(MetadataValueKind.String, text, null, default);

    public static MetadataValue Of(IReadOnlyList<string> list) => new(MetadataValueKind.List, null, list, default);

    public static MetadataValue Of(JsonElement json) =>
        json.ValueKind == JsonValueKind.Undefined ? Missing : new(MetadataValueKind.Json, null, null, json);

    /// <summary>The value under <paramref name="key"/> when this is a JSON object.</summary>
    public MetadataValue Child(string key) =>
        Kind == MetadataValueKind.Json && Json.ValueKind == JsonValueKind.Object && Json.TryGetProperty(key, out var child) ? Of(child) : Missing;
}

public enum MetadataValueKind
{
    Missing,
    String,
    List,
    Json,
}
