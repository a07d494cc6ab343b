using Microsoft.AspNetCore.Http;

namespace Rigging.Proxy.Routing;

/// <summary>
/// A compiled Envoy QueryParameterMatcher: the parameter must be present; then its first value must match the
/// string matcher when one is given (present_match, or no matcher at all, is a presence check).
/// </summary>
public sealed class QueryMatcherModel(string name, StringMatcherModel? match)
{
    public bool Matches(IQueryCollection query)
    {
        if (!query.TryGetValue(name, out var values)) return false;
        return match is null || match.Matches(values.Count > 0 ? values[0] ?? "" : "");
    }
}
