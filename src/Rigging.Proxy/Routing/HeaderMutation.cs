using System.Collections.Immutable;
using Microsoft.AspNetCore.Http;

namespace Rigging.Proxy.Routing;

/// <summary>Headers to remove, then to add (append or overwrite), as one compiled step.</summary>
public sealed class HeaderMutation(ImmutableArray<string> remove, ImmutableArray<(string Name, string Value, bool Append)> add)
{
    public static HeaderMutation None { get; } = new([], []);

    public bool IsEmpty => remove.IsEmpty && add.IsEmpty;

    public void Apply(IHeaderDictionary headers)
    {
        foreach (var name in remove) headers.Remove(name);
        foreach (var (name, value, append) in add)
        {
            if (append && headers.TryGetValue(name, out var existing)) headers[name] = Microsoft.Extensions.Primitives.StringValues.Concat(existing, value);
            else headers[name] = value;
        }
    }

    /// <summary>Applies to an upstream request's headers (HttpRequestMessage), which are typed differently.</summary>
    public void Apply(System.Net.Http.Headers.HttpHeaders headers)
    {
        foreach (var name in remove) headers.Remove(name);
        foreach (var (name, value, append) in add)
        {
            if (!append) headers.Remove(name);
            headers.TryAddWithoutValidation(name, value);
        }
    }

    /// <summary>This mutation followed by <paramref name="next"/> (route, then virtual host, then route table).</summary>
    public HeaderMutation Then(HeaderMutation next) =>
        next.IsEmpty ? this : IsEmpty ? next : new HeaderMutation(remove.AddRange(next.RemoveNames), add.AddRange(next.AddHeaders));

    private ImmutableArray<string> RemoveNames => remove;

    private ImmutableArray<(string Name, string Value, bool Append)> AddHeaders => add;
}
