namespace Rigging.Proxy.Http.Filters.Rbac;

/// <summary>
/// Envoy's per-request dynamic metadata, as far as filters here share it: string values under (filter, key),
/// e.g. the RBAC filter's <c>istio_ext_authz_shadow_effective_policy_id</c> that gates ext_authz. A request
/// feature, created by the first filter that writes (so requests without shadow rules allocate nothing).
/// </summary>
public sealed class FilterMetadata
{
    private readonly List<(string Filter, string Key, string Value)> _values = new(4);

    public static FilterMetadata For(Microsoft.AspNetCore.Http.HttpContext context)
    {
        var metadata = context.Features.Get<FilterMetadata>();
        if (metadata is null)
        {
            metadata = new FilterMetadata();
            context.Features.Set(metadata);
        }
        return metadata;
    }

    public void Set(string filter, string key, string value)
    {
        for (var i = 0; i < _values.Count; i++)
        {
            if (_values[i].Filter == filter && _values[i].Key == key)
            {
                _values[i] = (filter, key, value);
                return;
            }
        }
        _values.Add((filter, key, value));
    }

    public string? Get(string filter, string key)
    {
        foreach (var (f, k, v) in _values)
        {
            if (string.Equals(f, filter, StringComparison.Ordinal) && string.Equals(k, key, StringComparison.Ordinal)) return v;
        }
        return null;
    }
}
