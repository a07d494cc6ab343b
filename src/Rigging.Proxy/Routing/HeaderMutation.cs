using System.Collections.Immutable;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;

namespace Rigging.Proxy.Routing;

/// <summary>
/// Headers to remove, then to add, as one compiled step (Envoy removes before it adds). Each addition carries
/// Envoy's HeaderValueOption.append_action.
/// </summary>
public sealed class HeaderMutation(ImmutableArray<string> remove, ImmutableArray<HeaderMutation.Addition> add, HeaderMutation? next = null)
{
    public static HeaderMutation None { get; } = new([], []);

    public bool IsEmpty => remove.IsEmpty && add.IsEmpty && next is null;

    public ImmutableArray<string> Removals => remove;

    public ImmutableArray<Addition> Additions => add;

    public void Apply(IHeaderDictionary headers)
    {
        foreach (var name in remove) headers.Remove(name);
        foreach (var (name, value, action) in add)
        {
            var exists = headers.TryGetValue(name, out var existing);
            switch (action)
            {
                case AppendAction.AppendIfExistsOrAdd:
                    headers[name] = exists ? StringValues.Concat(existing, value) : value;
                    break;
                case AppendAction.AddIfAbsent when !exists:
                case AppendAction.OverwriteIfExistsOrAdd:
                case AppendAction.OverwriteIfExists when exists:
                    headers[name] = value;
                    break;
            }
        }
        next?.Apply(headers);
    }

    /// <summary>Applies to an upstream request's headers (HttpRequestMessage), which are typed differently.</summary>
    public void Apply(System.Net.Http.Headers.HttpHeaders headers)
    {
        foreach (var name in remove) headers.Remove(name);
        foreach (var (name, value, action) in add)
        {
            var exists = headers.Contains(name);
            switch (action)
            {
                case AppendAction.AppendIfExistsOrAdd:
                    headers.TryAddWithoutValidation(name, value);
                    break;
                case AppendAction.AddIfAbsent when !exists:
                case AppendAction.OverwriteIfExistsOrAdd:
                case AppendAction.OverwriteIfExists when exists:
                    headers.Remove(name);
                    headers.TryAddWithoutValidation(name, value);
                    break;
            }
        }
        next?.Apply(headers);
    }

    /// <summary>This mutation, then <paramref name="after"/> (which sees what this one did).</summary>
    public HeaderMutation Then(HeaderMutation after) =>
        after.IsEmpty ? this : IsEmpty ? after : new HeaderMutation(remove, add, next is null ? after : next.Then(after));

    /// <summary>One header to add: its name, its value and how it meets an existing header of that name.</summary>
    public readonly record struct Addition(string Name, string Value, AppendAction Action);

    /// <summary>Envoy's HeaderValueOption.HeaderAppendAction.</summary>
    public enum AppendAction
    {
        AppendIfExistsOrAdd,
        AddIfAbsent,
        OverwriteIfExistsOrAdd,
        OverwriteIfExists,
    }
}
