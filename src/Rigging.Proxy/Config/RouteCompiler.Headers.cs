using System.Collections.Immutable;
using Envoy.Config.Core.V3;
using Rigging.Proxy.Routing;
using static Envoy.Config.Core.V3.HeaderValueOption.Types;

namespace Rigging.Proxy.Config;

internal static partial class RouteCompiler
{
    /// <summary>
    /// request/response_headers_to_remove and _to_add (<paramref name="where"/> is the field prefix). Envoy's rules:
    /// pseudo-headers and host cannot be changed; the deprecated append (true: append, false: overwrite) may not be
    /// combined with a non-default append_action; an empty value is skipped unless keep_empty_value.
    /// </summary>
    public static HeaderMutation Mutation(IReadOnlyList<string> remove, IReadOnlyList<HeaderValueOption> add, string where)
    {
        if (remove.Count == 0 && add.Count == 0) return HeaderMutation.None;
        var removals = ImmutableArray.CreateBuilder<string>(remove.Count);
        for (var i = 0; i < remove.Count; i++)
        {
            CheckModifiable(remove[i], $"{where}_to_remove[{i}]");
            removals.Add(remove[i]);
        }
        var additions = ImmutableArray.CreateBuilder<HeaderMutation.Addition>(add.Count);
        for (var i = 0; i < add.Count; i++)
        {
            var option = add[i];
            var at = $"{where}_to_add[{i}]";
            var header = option.Header ?? throw new ConfigException($"{at}.header is required");
            CheckModifiable(header.Key, $"{at}.header.key");
            if (option.Append is not null && option.AppendAction != HeaderAppendAction.AppendIfExistsOrAdd)
                throw new ConfigException($"{at}: append and append_action are both set; use append_action only");
            var action = option.Append switch
            {
                true => HeaderMutation.AppendAction.AppendIfExistsOrAdd,
                false => HeaderMutation.AppendAction.OverwriteIfExistsOrAdd,
                null => option.AppendAction switch
                {
                    HeaderAppendAction.AddIfAbsent => HeaderMutation.AppendAction.AddIfAbsent,
                    HeaderAppendAction.OverwriteIfExistsOrAdd => HeaderMutation.AppendAction.OverwriteIfExistsOrAdd,
                    HeaderAppendAction.OverwriteIfExists => HeaderMutation.AppendAction.OverwriteIfExists,
                    HeaderAppendAction.AppendIfExistsOrAdd => HeaderMutation.AppendAction.AppendIfExistsOrAdd,
                    var other => throw new ConfigException($"{at}.append_action {other} is not known"),
                },
            };
            if (header.Value.Length == 0 && !option.KeepEmptyValue) continue;
            additions.Add(new HeaderMutation.Addition(header.Key, header.Value, action));
        }
        return new HeaderMutation(removals.MoveToImmutable(), additions.ToImmutable());
    }

    private static void CheckModifiable(string name, string where)
    {
        if (string.IsNullOrEmpty(name)) throw new ConfigException($"{where}: a header name must not be empty");
        if (name[0] == ':' || name.Equals("host", StringComparison.OrdinalIgnoreCase))
            throw new ConfigException($"{where}: \"{name}\" cannot be changed (pseudo-headers and host are not modifiable; use host_rewrite_literal)");
        foreach (var c in name)
        {
            if (c <= ' ' || c >= 0x7f || c == ':') throw new ConfigException($"{where}: \"{name}\" is not a valid header name");
        }
    }
}
