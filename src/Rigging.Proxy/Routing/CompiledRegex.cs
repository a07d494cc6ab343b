using System.Text.RegularExpressions;
using Rigging.Proxy.Config;

namespace Rigging.Proxy.Routing;

/// <summary>Regexes from config, compiled once per snapshot, anchored (Envoy matches the whole value), time-bounded.</summary>
internal static class CompiledRegex
{
    private static readonly TimeSpan MatchTimeout = TimeSpan.FromMilliseconds(100);

    public static Regex Create(string pattern, bool ignoreCase = false)
    {
        try
        {
            var options = RegexOptions.Compiled | RegexOptions.CultureInvariant | (ignoreCase ? RegexOptions.IgnoreCase : RegexOptions.None);
            return new Regex($"^(?:{pattern})$", options, MatchTimeout);
        }
        catch (ArgumentException e)
        {
            throw new ConfigException($"invalid regex \"{pattern}\": {e.Message}");
        }
    }

    /// <summary>The same pattern, unanchored, for substitutions (regex_rewrite).</summary>
    public static Regex CreateUnanchored(string pattern)
    {
        try
        {
            return new Regex(pattern, RegexOptions.Compiled | RegexOptions.CultureInvariant, MatchTimeout);
        }
        catch (ArgumentException e)
        {
            throw new ConfigException($"invalid regex \"{pattern}\": {e.Message}");
        }
    }
}
