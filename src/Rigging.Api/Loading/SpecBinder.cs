using System.Globalization;
using System.Text.Json.Nodes;
using Rigging.Api.Diagnostics;
using Rigging.Api.Model;
using Rigging.Api.Validation;

namespace Rigging.Api.Loading;

/// <summary>
/// Fills model records from a YAML tree by reflection, the way the Kubernetes API server reads a custom resource
/// against its schema: types are checked (<c>spec.url in body must be of type string: "null"</c>), enum values must
/// be known, unknown fields are reported as warnings and dropped. Records where each field was written.
/// </summary>
internal sealed partial class SpecBinder
{
    /// <summary>Bounds the work an alias bomb (anchors referencing anchors) can cause.</summary>
    public const int MaxNodes = 500_000;

    private readonly Dictionary<string, SourceSpan> _spans;
    private readonly List<BindingIssue> _issues;
    private int _visited;

    public SpecBinder(Dictionary<string, SourceSpan> spans, List<BindingIssue> issues)
    {
        _spans = spans;
        _issues = issues;
    }

    public object? Bind(Type type, Node node, FieldPath path, bool partial = false)
    {
        if (!Spend(node, path)) return null;
        _spans.TryAdd(path.ToString(), node.Start);
        var target = Nullable.GetUnderlyingType(type) ?? type;

        if (node is ScalarNode { Type: ScalarType.Null } && target != typeof(JsonNode))
        {
            if (!partial) Error(path, node, $"{path} in body must be of type {SchemaName(target)}: \"null\"");
            return null;
        }

        if (target == typeof(string)) return BindString(node, path);
        if (target == typeof(bool)) return BindBool(node, path);
        if (target == typeof(int) || target == typeof(uint) || target == typeof(long) || target == typeof(ulong))
            return BindInteger(target, node, path);
        if (target == typeof(double) || target == typeof(float)) return BindNumber(target, node, path);
        if (target.IsEnum) return BindEnum(target, node, path);
        if (target == typeof(Duration)) return BindDuration(node, path);
        if (target == typeof(IntOrString)) return BindIntOrString(node, path);
        if (target == typeof(JsonNode)) return ToJson(node, path);
        if (target.IsGenericType && target.GetGenericTypeDefinition() == typeof(IReadOnlyList<>))
            return BindList(target.GetGenericArguments()[0], node, path, partial);
        if (target.IsGenericType && target.GetGenericTypeDefinition() == typeof(IReadOnlyDictionary<,>))
            return BindMap(target.GetGenericArguments(), node, path, partial);
        return BindRecord(target, node, path);
    }

    private object? BindRecord(Type type, Node node, FieldPath path)
    {
        if (node is not MappingNode mapping) return WrongType(node, path, "object");
        var shape = RecordShape.Of(type);
        var instance = Activator.CreateInstance(type)!;
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (key, value) in mapping.Entries)
        {
            var fieldPath = path.Child(key.Value);
            if (!seen.Add(key.Value))
            {
                Error(fieldPath, key, $"{fieldPath}: Duplicate value: the key \"{key.Value}\" is written twice");
                continue;
            }
            if (!shape.Fields.TryGetValue(key.Value, out var property))
            {
                if (shape.IsPartial) continue;
                _spans.TryAdd(fieldPath.ToString(), key.Start);
                var hint = shape.Suggest(key.Value) is { } near ? $"; did you mean \"{near}\"?" : "";
                _issues.Add(new BindingIssue(Severity.Warning, fieldPath.ToString(), key.Start,
                    $"{fieldPath}: unknown field \"{key.Value}\": it is not in the schema and is ignored{hint}"));
                continue;
            }
            _spans.TryAdd(fieldPath.ToString(), key.Start);
            var bound = Bind(property.PropertyType, value, fieldPath, shape.IsPartial);
            if (bound is not null) property.SetValue(instance, bound);
        }
        return instance;
    }

    private object? BindList(Type itemType, Node node, FieldPath path, bool partial)
    {
        if (node is not SequenceNode sequence) return WrongType(node, path, "array");
        var list = (System.Collections.IList)Activator.CreateInstance(typeof(List<>).MakeGenericType(itemType), sequence.Items.Count)!;
        for (var i = 0; i < sequence.Items.Count; i++)
        {
            var item = Bind(itemType, sequence.Items[i], path.Index(i), partial);
            // A null item stays in place so that indexes in later messages match the user's file.
            list.Add(item is null && itemType.IsValueType ? Activator.CreateInstance(itemType) : item);
        }
        return list;
    }

    private object? BindMap(Type[] types, Node node, FieldPath path, bool partial)
    {
        if (node is not MappingNode mapping) return WrongType(node, path, "object");
        var map = (System.Collections.IDictionary)Activator.CreateInstance(typeof(Dictionary<,>).MakeGenericType(types))!;
        foreach (var (key, value) in mapping.Entries)
        {
            var entryPath = path.Key(key.Value);
            object mapKey = key.Value;
            if (types[0] == typeof(uint))
            {
                if (!uint.TryParse(key.Value, NumberStyles.None, CultureInfo.InvariantCulture, out var number))
                {
                    Error(entryPath, key, $"{entryPath}: Invalid value: \"{key.Value}\": type conversion error from string \"{key.Value}\" to uint32: a port number is expected");
                    continue;
                }
                mapKey = number;
            }
            if (map.Contains(mapKey))
            {
                Error(entryPath, key, $"{entryPath}: Duplicate value: the key \"{key.Value}\" is written twice");
                continue;
            }
            var bound = Bind(types[1], value, entryPath, partial);
            if (bound is not null || !types[1].IsValueType) map[mapKey] = bound;
        }
        return map;
    }

    /// <summary>Counts a visited node; false (reported once) when the document is over budget.</summary>
    private bool Spend(Node node, FieldPath path)
    {
        if (++_visited <= MaxNodes) return true;
        if (_visited == MaxNodes + 1)
            Error(path, node, $"{path}: the document expands to more than {MaxNodes} nodes (through aliases?); it is not read");
        return false;
    }

    private object? WrongType(Node node, FieldPath path, string expected)
    {
        Error(path, node, $"{path} in body must be of type {expected}: \"{NodeTypeName(node)}\"");
        return null;
    }

    private void Error(FieldPath path, Node at, string message) =>
        _issues.Add(new BindingIssue(Severity.Error, path.ToString(), at.Start, message));

    private static string NodeTypeName(Node node) => node switch
    {
        MappingNode => "object",
        SequenceNode => "array",
        ScalarNode s => ScalarTypes.SchemaName(s.Type),
        _ => "unknown",
    };

    private static string SchemaName(Type type)
    {
        if (type == typeof(string) || type.IsEnum || type == typeof(Duration)) return "string";
        if (type == typeof(bool)) return "boolean";
        if (type == typeof(int) || type == typeof(uint) || type == typeof(long) || type == typeof(ulong)) return "integer";
        if (type == typeof(double) || type == typeof(float)) return "number";
        if (type == typeof(IntOrString)) return "integer or string";
        if (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(IReadOnlyList<>)) return "array";
        return "object";
    }
}
