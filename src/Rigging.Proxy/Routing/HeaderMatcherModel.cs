using Microsoft.AspNetCore.Http;

namespace Rigging.Proxy.Routing;

/// <summary>A compiled Envoy HeaderMatcher: a string match, presence or a numeric range, optionally inverted.</summary>
public sealed class HeaderMatcherModel(string name, StringMatcherModel? match, bool? present, (long Start, long End)? range, bool invert, bool missingAsEmpty)
{
    public string Name { get; } = name;

    public bool Matches(IHeaderDictionary headers)
    {
        var found = headers.TryGetValue(Name, out var values);
        // Envoy matches a multi-valued header against its values joined with ",".
        var value = found ? (values.Count == 1 ? values[0] ?? "" : string.Join(',', values.ToArray())) : missingAsEmpty ? "" : null;
        bool result;
        if (present is { } wantPresent) result = found == wantPresent;
        else if (value is null) result = false;
        else if (range is { } r) result = long.TryParse(value, System.Globalization.NumberStyles.AllowLeadingSign, System.Globalization.CultureInfo.InvariantCulture, out var n) && n >= r.Start && n < r.End;
        else result = match?.Matches(value) ?? found;
        // An absent header never matches, inverted or not (Envoy's rule), except for presence checks.
        if (invert && (value is not null || present is not null)) return !result;
        return result;
    }
}
