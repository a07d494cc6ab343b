using System.Collections.Concurrent;
using System.Reflection;
using Rigging.Api.Model;

namespace Rigging.Api.Loading;

/// <summary>The fields of a model record by their YAML/JSON names, computed once per type.</summary>
internal sealed class RecordShape
{
    private static readonly ConcurrentDictionary<Type, RecordShape> Shapes = new();

    private RecordShape(Type type)
    {
        Type = type;
        IsPartial = type.GetCustomAttribute<PartialModelAttribute>() is not null;
        foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            if (!property.CanWrite) continue;
            var name = property.GetCustomAttribute<FieldNameAttribute>()?.Name
                ?? char.ToLowerInvariant(property.Name[0]) + property.Name[1..];
            Fields[name] = property;
        }
    }

    public Type Type { get; }

    /// <summary>Only part of the kind is modelled: other fields are ignored silently, nulls read as absent.</summary>
    public bool IsPartial { get; }

    public Dictionary<string, PropertyInfo> Fields { get; } = new(StringComparer.Ordinal);

    public static RecordShape Of(Type type) => Shapes.GetOrAdd(type, static t => new RecordShape(t));

    /// <summary>The known field closest to a misspelt one, if any is close.</summary>
    public string? Suggest(string unknown)
    {
        string? best = null;
        var bestDistance = Math.Max(2, unknown.Length / 3) + 1;
        foreach (var name in Fields.Keys)
        {
            var distance = EditDistance(unknown.ToLowerInvariant(), name.ToLowerInvariant());
            if (distance < bestDistance)
            {
                best = name;
                bestDistance = distance;
            }
        }
        return best;
    }

    private static int EditDistance(string a, string b)
    {
        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (var j = 0; j <= b.Length; j++) previous[j] = j;
        for (var i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = a[i - 1] == b[j - 1] ? 0 : 1;
                current[j] = Math.Min(Math.Min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
            }
            (previous, current) = (current, previous);
        }
        return previous[b.Length];
    }
}
