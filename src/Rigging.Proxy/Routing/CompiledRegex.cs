using System.Text;
using System.Text.RegularExpressions;
using Rigging.Proxy.Config;

namespace Rigging.Proxy.Routing;

/// <summary>
/// Regexes from config, compiled once per snapshot, anchored (Envoy matches the whole value). Envoy uses RE2, whose
/// matching time is linear in the input; .NET's non-backtracking engine gives the same guarantee (and, like RE2,
/// refuses backreferences and lookarounds), so no pattern can stall a request and no match timeout is needed.
/// </summary>
internal static class CompiledRegex
{
    private const RegexOptions Linear = RegexOptions.NonBacktracking | RegexOptions.CultureInvariant;

    public static Regex Create(string pattern, bool ignoreCase = false, string? where = null) =>
        Build($"^(?:{pattern})$", pattern, Linear | (ignoreCase ? RegexOptions.IgnoreCase : RegexOptions.None), where);

    /// <summary>The same pattern, unanchored, for substitutions (regex_rewrite).</summary>
    public static Regex CreateUnanchored(string pattern, string? where = null) => Build(pattern, pattern, Linear, where);

    private static Regex Build(string compiled, string pattern, RegexOptions options, string? where)
    {
        try
        {
            return new Regex(compiled, options, Regex.InfiniteMatchTimeout);
        }
        catch (ArgumentException e)
        {
            throw new ConfigException($"{Prefix(where)}invalid regex \"{pattern}\": {e.Message}");
        }
        catch (NotSupportedException e)
        {
            throw new ConfigException($"{Prefix(where)}regex \"{pattern}\" is not supported (RE2 has no backreferences or lookarounds): {e.Message}");
        }
    }

    /// <summary>
    /// An RE2 rewrite string (<c>\1</c> for a group, <c>\\</c> for a backslash) in .NET's replacement syntax
    /// (<c>${1}</c>, with <c>$</c> escaped); a group the pattern lacks is an error, as RE2 checks it too.
    /// </summary>
    public static string Substitution(Regex regex, string rewrite, string? where = null)
    {
        var groups = regex.GetGroupNumbers().Length - 1;
        var result = new StringBuilder(rewrite.Length + 8);
        for (var i = 0; i < rewrite.Length; i++)
        {
            var c = rewrite[i];
            if (c == '$')
            {
                result.Append("$$");
            }
            else if (c == '\\')
            {
                if (i + 1 >= rewrite.Length) throw new ConfigException($"{Prefix(where)}substitution \"{rewrite}\" ends with a lone backslash");
                var next = rewrite[++i];
                if (next == '\\') result.Append('\\');
                else if (char.IsAsciiDigit(next))
                {
                    var group = next - '0';
                    if (group > groups) throw new ConfigException($"{Prefix(where)}substitution \"{rewrite}\" uses \\{group} but the pattern has {groups} group(s)");
                    result.Append("${").Append(next).Append('}');
                }
                else throw new ConfigException($"{Prefix(where)}substitution \"{rewrite}\" has an invalid escape \\{next} (use \\0-\\9 or \\\\)");
            }
            else
            {
                result.Append(c);
            }
        }
        return result.ToString();
    }

    private static string Prefix(string? where) => where is null ? "" : where + ": ";
}
