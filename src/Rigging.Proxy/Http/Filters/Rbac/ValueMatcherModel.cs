using System.Collections.Immutable;
using System.Text.Json;
using Envoy.Type.Matcher.V3;
using Rigging.Proxy.Config;

namespace Rigging.Proxy.Http.Filters.Rbac;

/// <summary>
/// A compiled envoy.type.matcher.v3.ValueMatcher: null, string, bool, present, list (one_of: any element) or
/// an or of matchers. A string matcher never matches a list and a list matcher never matches a string, as
/// in Envoy; Istio therefore ors both for JWT claims that may be either.
/// </summary>
public sealed class ValueMatcherModel
{
    private readonly ValueMatcher.MatchPatternOneofCase _kind;
    private readonly RbacStringMatcher? _string;
    private readonly bool _bool;
    private readonly ValueMatcherModel? _element;
    private readonly ImmutableArray<ValueMatcherModel> _any;

    private ValueMatcherModel(ValueMatcher.MatchPatternOneofCase kind, RbacStringMatcher? text, bool flag, ValueMatcherModel? element, ImmutableArray<ValueMatcherModel> any)
    {
        _kind = kind;
        _string = text;
        _bool = flag;
        _element = element;
        _any = any;
    }

    public static ValueMatcherModel Compile(ValueMatcher? m, string where)
    {
        if (m is null) throw new ConfigException($"{where}: value is required");
        return m.MatchPatternCase switch
        {
            ValueMatcher.MatchPatternOneofCase.NullMatch => new(m.MatchPatternCase, null, false, null, []),
            ValueMatcher.MatchPatternOneofCase.StringMatch => new(m.MatchPatternCase, RbacStringMatcher.Compile(m.StringMatch, $"{where}.string_match"), false, null, []),
            ValueMatcher.MatchPatternOneofCase.BoolMatch => new(m.MatchPatternCase, null, m.BoolMatch, null, []),
            ValueMatcher.MatchPatternOneofCase.PresentMatch => new(m.MatchPatternCase, null, m.PresentMatch, null, []),
            ValueMatcher.MatchPatternOneofCase.ListMatch when m.ListMatch.MatchPatternCase == ListMatcher.MatchPatternOneofCase.OneOf =>
                new(m.MatchPatternCase, null, false, Compile(m.ListMatch.OneOf, $"{where}.list_match.one_of"), []),
            ValueMatcher.MatchPatternOneofCase.OrMatch =>
                new(m.MatchPatternCase, null, false, null, [.. m.OrMatch.ValueMatchers.Select((v, i) => Compile(v, $"{where}.or_match.value_matchers[{i}]"))]),
            _ => throw new ConfigException($"{where}: match_pattern {m.MatchPatternCase} is not supported"),
        };
    }

    public bool Matches(in MetadataValue value)
    {
        switch (_kind)
        {
            case ValueMatcher.MatchPatternOneofCase.PresentMatch:
                return (value.Kind != MetadataValueKind.Missing) == _bool;
            case ValueMatcher.MatchPatternOneofCase.NullMatch:
                return value.Kind == MetadataValueKind.Json && value.Json.ValueKind == JsonValueKind.Null;
            case ValueMatcher.MatchPatternOneofCase.StringMatch:
                if (value.Kind == MetadataValueKind.String) return _string!.Matches(value.Text);
                return value.Kind == MetadataValueKind.Json && value.Json.ValueKind == JsonValueKind.String && _string!.Matches(value.Json.GetString());
            case ValueMatcher.MatchPatternOneofCase.BoolMatch:
                return value.Kind == MetadataValueKind.Json && value.Json.ValueKind == (_bool ? JsonValueKind.True : JsonValueKind.False);
            case ValueMatcher.MatchPatternOneofCase.ListMatch:
                return ListMatches(value);
            case ValueMatcher.MatchPatternOneofCase.OrMatch:
                foreach (var m in _any)
                {
                    if (m.Matches(value)) return true;
                }
                return false;
            default:
                return false;
        }
    }

    private bool ListMatches(in MetadataValue value)
    {
        if (value.Kind == MetadataValueKind.List)
        {
            foreach (var item in value.List!)
            {
                if (_element!.Matches(MetadataValue.Of(item))) return true;
            }
            return false;
        }
        if (value.Kind != MetadataValueKind.Json || value.Json.ValueKind != JsonValueKind.Array) return false;
        foreach (var item in value.Json.EnumerateArray())
        {
            if (_element!.Matches(MetadataValue.Of(item))) return true;
        }
        return false;
    }
}
