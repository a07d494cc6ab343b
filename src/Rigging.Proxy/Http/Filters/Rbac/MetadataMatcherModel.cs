using System.Collections.Immutable;
using Envoy.Type.Matcher.V3;
using Rigging.Proxy.Config;
using Rigging.Proxy.Security;

namespace Rigging.Proxy.Http.Filters.Rbac;

/// <summary>
/// A compiled envoy.type.matcher.v3.MetadataMatcher over the request's dynamic metadata. The verified JWT
/// (<see cref="RequestPrincipal"/>) stands in for two filters' metadata: Istio's <c>istio_authn</c>
/// (request.auth.principal / audiences / presenter / claims) and Envoy's <c>envoy.filters.http.jwt_authn</c>
/// (first key: the payload_in_metadata name, then claim names). Other filters read <see cref="FilterMetadata"/>.
/// </summary>
public sealed class MetadataMatcherModel
{
    public const string IstioAuthn = RequestPrincipal.MetadataNamespace;
    public const string JwtAuthn = "envoy.filters.http.jwt_authn";

    private readonly string _filter;
    private readonly ImmutableArray<string> _path;
    private readonly ValueMatcherModel _value;
    private readonly bool _invert;

    private MetadataMatcherModel(string filter, ImmutableArray<string> path, ValueMatcherModel value, bool invert)
    {
        _filter = filter;
        _path = path;
        _value = value;
        _invert = invert;
    }

    public static MetadataMatcherModel Compile(MetadataMatcher m, string where)
    {
        if (string.IsNullOrEmpty(m.Filter)) throw new ConfigException($"{where}.filter: must not be empty");
        if (m.Path.Count == 0) throw new ConfigException($"{where}.path: needs at least one segment");
        var path = ImmutableArray.CreateBuilder<string>(m.Path.Count);
        for (var i = 0; i < m.Path.Count; i++)
        {
            if (string.IsNullOrEmpty(m.Path[i].Key)) throw new ConfigException($"{where}.path[{i}].key: must not be empty");
            path.Add(m.Path[i].Key);
        }
        return new MetadataMatcherModel(m.Filter, path.MoveToImmutable(), ValueMatcherModel.Compile(m.Value, $"{where}.value"), m.Invert);
    }

    public bool Matches(in RbacInput input) => _value.Matches(Lookup(input)) != _invert;

    private MetadataValue Lookup(in RbacInput input)
    {
        MetadataValue value;
        if (_filter == IstioAuthn || _filter == JwtAuthn)
        {
            if (input.Jwt is not { } jwt) return MetadataValue.Missing;
            value = _filter == JwtAuthn ? MetadataValue.Of(jwt.Claims) : IstioAuthnValue(jwt, _path[0]);
        }
        else
        {
            // Values written by filters here are flat strings: one key, no nesting.
            return _path.Length == 1 ? MetadataValue.Of(input.Metadata?.Get(_filter, _path[0])) : MetadataValue.Missing;
        }
        for (var i = 1; i < _path.Length && value.Kind != MetadataValueKind.Missing; i++) value = value.Child(_path[i]);
        return value;
    }

    private static MetadataValue IstioAuthnValue(RequestPrincipal jwt, string key) => key switch
    {
        "request.auth.principal" => MetadataValue.Of(jwt.Principal),
        "request.auth.audiences" => MetadataValue.Of(jwt.Audiences),
        "request.auth.presenter" => MetadataValue.Of(jwt.Presenter),
        "request.auth.claims" => MetadataValue.Of(jwt.Claims),
        "request.auth.raw_claims" => MetadataValue.Of(jwt.Claims.GetRawText()),
        _ => MetadataValue.Missing,
    };
}
