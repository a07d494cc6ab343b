using System.Text.RegularExpressions;
using Envoy.Type.Matcher.V3;
using Rigging.Proxy.Config;
using Rigging.Proxy.Routing;

namespace Rigging.Proxy.Http.Filters.Rbac;

/// <summary>
/// A StringMatcher for authorization. Regexes run on .NET's non-backtracking engine (linear time, RE2's guarantee)
/// with no match timeout: the routing matchers treat a timed-out match as "no match", which for a DENY rule
/// would fail open under load; here a regex always gets its real answer.
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
        try
        {
            // Envoy's rule: ignore_case has no effect on safe_regex.
            return new(null, new Regex($"^(?:{m.SafeRegex.Regex})$", RegexOptions.NonBacktracking | RegexOptions.CultureInvariant, Regex.InfiniteMatchTimeout));
        }
        catch (Exception e) when (e is ArgumentException or NotSupportedException)
        {
            throw new ConfigException($"{where}.safe_regex: invalid regex \"{m.SafeRegex.Regex}\": {e.Message}");
        }
    }

    public bool Matches(ReadOnlySpan<char> value) => _regex?.IsMatch(value) ?? _plain!.Matches(value);
}
