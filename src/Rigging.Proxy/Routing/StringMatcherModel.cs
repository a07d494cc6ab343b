using System.Text.RegularExpressions;

namespace Rigging.Proxy.Routing;

/// <summary>A compiled Envoy StringMatcher: exact, prefix, suffix, contains or regex, optionally ignoring case.</summary>
public sealed class StringMatcherModel
{
    private readonly Kind _kind;
    private readonly string _value;
    private readonly Regex? _regex;
    private readonly StringComparison _comparison;

    private StringMatcherModel(Kind kind, string value, Regex? regex, bool ignoreCase)
    {
        _kind = kind;
        _value = value;
        _regex = regex;
        _comparison = ignoreCase ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal;
    }

    public static StringMatcherModel Exact(string value, bool ignoreCase = false) => new(Kind.Exact, value, null, ignoreCase);

    public static StringMatcherModel Prefix(string value, bool ignoreCase = false) => new(Kind.Prefix, value, null, ignoreCase);

    public static StringMatcherModel Suffix(string value, bool ignoreCase = false) => new(Kind.Suffix, value, null, ignoreCase);

    public static StringMatcherModel Contains(string value, bool ignoreCase = false) => new(Kind.Contains, value, null, ignoreCase);

    /// <summary>A regex that must match the whole value (Envoy's safe_regex semantics).</summary>
    public static StringMatcherModel Regex(string pattern, bool ignoreCase = false, string? where = null) =>
        new(Kind.Regex, pattern, CompiledRegex.Create(pattern, ignoreCase, where), ignoreCase);

    public bool Matches(ReadOnlySpan<char> value) => _kind switch
    {
        Kind.Exact => value.Equals(_value, _comparison),
        Kind.Prefix => value.StartsWith(_value, _comparison),
        Kind.Suffix => value.EndsWith(_value, _comparison),
        Kind.Contains => value.Contains(_value, _comparison),
        _ => _regex!.IsMatch(value),
    };

    public override string ToString() => $"{_kind.ToString().ToLowerInvariant()}:{_value}";

    private enum Kind
    {
        Exact,
        Prefix,
        Suffix,
        Contains,
        Regex,
    }
}
