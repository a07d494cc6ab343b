using Microsoft.AspNetCore.Http;

namespace Rigging.Proxy.Routing;

/// <summary>A compiled Envoy QueryParameterMatcher: presence or a string match on the first value.</summary>
public sealed class QueryMatcherModel(string name, StringMatcherModel? match, bool present)
{
    public bool Matches(IQueryCollection query)
    {
        if (!query.TryGetValue(name, out var values)) return false;
        return match is null ? present : match.Matches(values.Count > 0 ? values[0] ?? "" : "");
    }
}
