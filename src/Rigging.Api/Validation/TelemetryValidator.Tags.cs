using Rigging.Api.Telemetry;

namespace Rigging.Api.Validation;

internal sealed partial class TelemetryValidator
{
    private static void ValidateCustomTag(TracingCustomTag tag, FieldPath path, ValidationContext context)
    {
        var set = (tag.Literal is null ? 0 : 1) + (tag.Environment is null ? 0 : 1) + (tag.Header is null ? 0 : 1) + (tag.Formatter is null ? 0 : 1);
        if (set > 1)
            context.Rule(path, "only one of literal, environment, header or formatter can be set: a tag takes its value from one place");
        if (tag.Literal is { } literal) RequiredText(literal.Value, path.Child("literal").Child("value"), "the tag's fixed value", context);
        if (tag.Environment is { } environment)
            RequiredText(environment.Name, path.Child("environment").Child("name"), "the environment variable to read", context);
        if (tag.Header is { } header) RequiredText(header.Name, path.Child("header").Child("name"), "the request header to read", context);
        if (tag.Formatter is { } formatter)
            RequiredText(formatter.Value, path.Child("formatter").Child("value"), "an access log format string, such as %REQ(:AUTHORITY)%", context);
    }

    private static void RequiredText(string? value, FieldPath path, string what, ValidationContext context)
    {
        if (value is null) context.Required(path, what);
        else ValueRules.NotEmpty(value, path, context);
    }

    /// <summary>
    /// istiod parses the filter as CEL and rejects what does not parse. Without a CEL parser, this catches the
    /// common slips: an empty expression, unbalanced brackets and unterminated strings.
    /// </summary>
    private static void ValidateFilterExpression(string expression, FieldPath path, ValidationContext context)
    {
        if (string.IsNullOrWhiteSpace(expression))
        {
            context.Invalid(path, expression, "must be a valid CEL expression, such as response.code >= 400");
            return;
        }
        var open = new Stack<char>();
        for (var i = 0; i < expression.Length; i++)
        {
            var c = expression[i];
            if (c is '"' or '\'')
            {
                var end = i + 1;
                while (end < expression.Length && expression[end] != c) end += expression[end] == '\\' ? 2 : 1;
                if (end >= expression.Length)
                {
                    context.Invalid(path, expression, $"must be a valid CEL expression: the string starting at column {i + 1} is not closed");
                    return;
                }
                i = end;
            }
            else if (c is '(' or '[' or '{') open.Push(c);
            else if (c is ')' or ']' or '}')
            {
                var expected = c switch { ')' => '(', ']' => '[', _ => '{' };
                if (open.Count == 0 || open.Pop() != expected)
                {
                    context.Invalid(path, expression, $"must be a valid CEL expression: '{c}' at column {i + 1} has no matching opening bracket");
                    return;
                }
            }
        }
        if (open.Count > 0) context.Invalid(path, expression, $"must be a valid CEL expression: '{open.Peek()}' is not closed");
    }
}
