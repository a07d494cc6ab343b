using System.Text.RegularExpressions;
using Envoy.Type.Matcher.V3;
using Rigging.Proxy.Config;
using Rigging.Proxy.Routing;

namespace Rigging.Proxy.Http.Filters.Rbac;

/// <summary>
/// A StringMatcher for authorization. Regexes are the routing ones (linear time, no match timeout, so a DENY rule
/// always gets its real answer), but without ignore_case, which Envoy does not apply to safe_regex.
/// </summary>
public sealed class RbacStringMatcher
{
    private readonly StringMatcherModel? _plain;
    private readonly Regex? _regex;

    private RbacStringMatcher(StringMatcherModel? plain, Regex? regex)
    {
        _plain = plain;
        _regex = regex;
    }

    public static RbacStringMatcher Compile(StringMatcher m, string where)
    {
        if (m.MatchPatternCase != StringMatcher.MatchPatternOneofCase.SafeRegex) return new(RouteCompiler.String(m, where), null);
        // Envoy's rule: ignore_case has no effect on safe_regex.
        return new(null, CompiledRegex.Create(m.SafeRegex.Regex, where: $"{where}.safe_regex"));
    }

    public bool Matches(ReadOnlySpan<char> value) => _regex?.IsMatch(value) ?? _plain!.Matches(value);
}
