using System.Text.RegularExpressions;

namespace Rigging.Api.Loading;

/// <summary>YAML 1.2 core schema resolution of plain scalars, and the JSON schema names used in messages.</summary>
internal static partial class ScalarTypes
{
    public static ScalarType Resolve(string value) => value switch
    {
        "" or "~" or "null" or "Null" or "NULL" => ScalarType.Null,
        "true" or "True" or "TRUE" or "false" or "False" or "FALSE" => ScalarType.Boolean,
        _ when IntegerPattern().IsMatch(value) => ScalarType.Integer,
        _ when NumberPattern().IsMatch(value) => ScalarType.Number,
        _ => ScalarType.String,
    };

    public static string SchemaName(ScalarType type) => type switch
    {
        ScalarType.Null => "null",
        ScalarType.Boolean => "boolean",
        ScalarType.Integer => "integer",
        ScalarType.Number => "number",
        _ => "string",
    };

    [GeneratedRegex(@"^([-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+)$")]
    private static partial Regex IntegerPattern();

    [GeneratedRegex(@"^([-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?|[-+]?\.(inf|Inf|INF)|\.(nan|NaN|NAN))$")]
    private static partial Regex NumberPattern();
}
