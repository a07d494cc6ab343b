using System.Globalization;
using Microsoft.AspNetCore.Http;

namespace Rigging.Proxy.Routing;

/// <summary>
/// A compiled Envoy HeaderMatcher: a string match, presence or a numeric range, optionally inverted. Envoy's
/// pseudo-headers (<c>:method</c>, <c>:authority</c>, <c>:path</c>, <c>:scheme</c>) read the request line.
/// Rules (Envoy's HeaderUtility): an absent header never matches, inverted or not, unless
/// treat_missing_header_as_empty makes it ""; a presence check compares presence and then applies invert.
/// </summary>
public sealed class HeaderMatcherModel
{
    private readonly StringMatcherModel? _match;
    private readonly bool? _present;
    private readonly (long Start, long End)? _range;
    private readonly bool _invert;
    private readonly bool _missingAsEmpty;
    private readonly Source _source;

    public HeaderMatcherModel(string name, StringMatcherModel? match, bool? present, (long Start, long End)? range, bool invert, bool missingAsEmpty)
    {
        Name = name;
        _match = match;
        _present = present;
        _range = range;
        _invert = invert;
        _missingAsEmpty = missingAsEmpty;
        _source = name.ToLowerInvariant() switch
        {
            ":method" => Source.Method,
            ":authority" or "host" => Source.Authority,
            ":path" => Source.Path,
            ":scheme" => Source.Scheme,
            _ => Source.Header,
        };
    }

    public string Name { get; }

    public bool Matches(HttpRequest request)
    {
        var value = Read(request);
        if (_present is { } wantPresent) return (value is not null == wantPresent) != _invert;
        if (value is null)
        {
            if (!_missingAsEmpty) return false;
            value = "";
        }
        bool result;
        if (_range is { } r)
            result = long.TryParse(value.AsSpan().Trim(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n) && n >= r.Start && n < r.End;
        else result = _match?.Matches(value) ?? true;
        return result != _invert;
    }

    private string? Read(HttpRequest request)
    {
        switch (_source)
        {
            case Source.Method: return request.Method;
            case Source.Authority: return request.Host.HasValue ? request.Host.Value : null;
            case Source.Scheme: return request.Scheme;
            case Source.Path:
                var path = request.Path.HasValue ? request.Path.Value! : "/";
                return request.QueryString.HasValue ? path + request.QueryString.Value : path;
        }
        if (!request.Headers.TryGetValue(Name, out var values) || values.Count == 0) return null;
        // Envoy matches a header sent several times against its values joined with ",".
        return values.Count == 1 ? values[0] ?? "" : string.Join(',', values.ToArray());
    }

    private enum Source
    {
        Header,
        Method,
        Authority,
        Path,
        Scheme,
    }
}
