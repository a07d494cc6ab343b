namespace Rigging.Proxy.Routing;

/// <summary>How a route matches the path (without the query): prefix, exact path, regex, or a separated prefix.</summary>
public sealed class PathMatch
{
    private readonly StringMatcherModel _matcher;
    private readonly string? _separatedPrefix;

    private PathMatch(StringMatcherModel matcher, string? separatedPrefix, string description)
    {
        _matcher = matcher;
        _separatedPrefix = separatedPrefix;
        Description = description;
    }

    public string Description { get; }

    /// <summary>The literal prefix to replace when the route rewrites a prefix (null for regex matches).</summary>
    public string? Prefix { get; private init; }

    public static PathMatch ForPrefix(string prefix, bool ignoreCase) =>
        new(StringMatcherModel.Prefix(prefix, ignoreCase), null, $"prefix {prefix}") { Prefix = prefix };

    public static PathMatch ForPath(string path, bool ignoreCase) =>
        new(StringMatcherModel.Exact(path, ignoreCase), null, $"path {path}") { Prefix = path };

    /// <summary>Envoy ignores case_sensitive for safe_regex: the pattern alone decides.</summary>
    public static PathMatch ForRegex(string regex, string? where = null) =>
        new(StringMatcherModel.Regex(regex, where: where), null, $"regex {regex}");

    /// <summary><c>/api</c> matches <c>/api</c>, <c>/api/x</c> and <c>/api?q</c> but not <c>/apix</c>.</summary>
    public static PathMatch ForSeparatedPrefix(string prefix, bool ignoreCase) =>
        new(StringMatcherModel.Prefix(prefix, ignoreCase), prefix, $"path_separated_prefix {prefix}") { Prefix = prefix };

    public bool Matches(ReadOnlySpan<char> path)
    {
        if (!_matcher.Matches(path)) return false;
        return _separatedPrefix is null || path.Length == _separatedPrefix.Length || path[_separatedPrefix.Length] == '/';
    }
}
