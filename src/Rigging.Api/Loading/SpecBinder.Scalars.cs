using System.Globalization;
using System.Text.Json.Nodes;
using Rigging.Api.Model;
using Rigging.Api.Validation;

namespace Rigging.Api.Loading;

internal sealed partial class SpecBinder
{
    private string? BindString(Node node, FieldPath path) =>
        node is ScalarNode { Type: ScalarType.String } s ? s.Value : (string?)WrongType(node, path, "string");

    private object? BindBool(Node node, FieldPath path) =>
        node is ScalarNode { Type: ScalarType.Boolean } s ? s.Value is "true" or "True" or "TRUE" : WrongType(node, path, "boolean");

    private object? BindInteger(Type type, Node node, FieldPath path)
    {
        // 64-bit integers may be quoted: protobuf's JSON form writes them as strings.
        var wide = type == typeof(long) || type == typeof(ulong);
        if (node is not ScalarNode s || !(s.Type == ScalarType.Integer || (wide && s.Type == ScalarType.String)))
            return WrongType(node, path, "integer");
        if (!long.TryParse(s.Value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value))
        {
            if (type == typeof(ulong) && ulong.TryParse(s.Value, NumberStyles.None, CultureInfo.InvariantCulture, out var big)) return big;
            Error(path, node, $"{path}: Invalid value: \"{s.Value}\": not a whole number in range");
            return null;
        }
        var (min, max) = type == typeof(int) ? (int.MinValue, int.MaxValue)
            : type == typeof(uint) ? (0L, uint.MaxValue)
            : type == typeof(ulong) ? (0L, long.MaxValue)
            : (long.MinValue, long.MaxValue);
        if (value < min)
        {
            Error(path, node, $"{path} in body should be greater than or equal to {min}");
            return null;
        }
        if (value > max)
        {
            Error(path, node, $"{path}: Invalid value: {value}: out of range (at most {max})");
            return null;
        }
        return Convert.ChangeType(value, type, CultureInfo.InvariantCulture);
    }

    private object? BindNumber(Type type, Node node, FieldPath path)
    {
        if (node is not ScalarNode { Type: ScalarType.Integer or ScalarType.Number } s) return WrongType(node, path, "number");
        var text = s.Value.Replace(".inf", "Infinity", StringComparison.OrdinalIgnoreCase)
            .Replace(".nan", "NaN", StringComparison.OrdinalIgnoreCase);
        var value = double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture);
        return type == typeof(float) ? (float)value : value;
    }

    private object? BindEnum(Type type, Node node, FieldPath path)
    {
        if (node is not ScalarNode { Type: ScalarType.String } s) return WrongType(node, path, "string");
        foreach (var name in Enum.GetNames(type))
        {
            if (name == s.Value) return Enum.Parse(type, name);
        }
        var supported = string.Join(", ", Enum.GetNames(type).Select(n => $"\"{n}\""));
        Error(path, node, $"{path}: Unsupported value: \"{s.Value}\": supported values: {supported}");
        return null;
    }

    private object? BindDuration(Node node, FieldPath path)
    {
        if (node is not ScalarNode { Type: ScalarType.String } s) return WrongType(node, path, "string");
        if (Duration.TryParse(s.Value, out var duration) && duration.Value >= TimeSpan.Zero) return duration;
        Error(path, node, $"{path}: Invalid value: \"{s.Value}\": must be a valid duration greater than or equal to 0s, such as 1.5s, 300ms or 1h");
        return null;
    }

    private object? BindIntOrString(Node node, FieldPath path) => node switch
    {
        ScalarNode { Type: ScalarType.Integer } s when int.TryParse(s.Value, CultureInfo.InvariantCulture, out var n) => new IntOrString(n, null),
        ScalarNode { Type: ScalarType.String } s => new IntOrString(null, s.Value),
        _ => WrongType(node, path, "integer or string"),
    };

    /// <summary>Free-form values (google.protobuf.Struct, EnvoyFilter patches) are kept as JSON.</summary>
    private JsonNode? ToJson(Node node, FieldPath path)
    {
        switch (node)
        {
            case MappingNode mapping:
                var obj = new JsonObject();
                foreach (var (key, value) in mapping.Entries)
                {
                    if (!Spend(value, path)) return obj;
                    obj[key.Value] = ToJson(value, path.Child(key.Value));
                }
                return obj;
            case SequenceNode sequence:
                var array = new JsonArray();
                for (var i = 0; i < sequence.Items.Count && Spend(sequence.Items[i], path); i++)
                    array.Add(ToJson(sequence.Items[i], path.Index(i)));
                return array;
            case ScalarNode s:
                return s.Type switch
                {
                    ScalarType.Null => null,
                    ScalarType.Boolean => JsonValue.Create(s.Value is "true" or "True" or "TRUE"),
                    ScalarType.Integer when long.TryParse(s.Value, CultureInfo.InvariantCulture, out var l) => JsonValue.Create(l),
                    ScalarType.Integer or ScalarType.Number when double.TryParse(s.Value, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && double.IsFinite(d) => JsonValue.Create(d),
                    _ => JsonValue.Create(s.Value),
                };
            default:
                return null;
        }
    }
}
