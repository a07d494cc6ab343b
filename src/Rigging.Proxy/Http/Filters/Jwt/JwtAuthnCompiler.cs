using System.Collections.Immutable;
using Envoy.Config.Core.V3;
using Envoy.Config.Route.V3;
using Envoy.Extensions.Filters.Http.JwtAuthn.V3;
using Rigging.Proxy.Config;
using Rigging.Proxy.Routing;

namespace Rigging.Proxy.Http.Filters.Jwt;

/// <summary>
/// JwtAuthentication (typed_config of envoy.filters.http.jwt_authn) → <see cref="JwtAuthnFilter"/>, once per
/// snapshot: providers (inline keys parsed here; remote keys bound to the long-lived <see cref="JwksEndpoint"/> of
/// their URI), rules and requirements. Errors name the provider or rule and the field.
/// </summary>
internal static class JwtAuthnCompiler
{
    public const string FilterName = "envoy.filters.http.jwt_authn";

    public static JwtAuthnFilter Compile(JwtAuthentication config, string where)
    {
        var providers = new Dictionary<string, JwtProviderModel>(StringComparer.Ordinal);
        var outputs = new List<string>();
        foreach (var (name, provider) in config.Providers.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            var model = Provider(name, provider, $"{where}: providers[{name}]");
            providers[name] = model;
            if (model.ForwardPayloadHeader is { } payload && !outputs.Contains(payload)) outputs.Add(payload);
            foreach (var claim in model.ClaimToHeaders)
            {
                if (!outputs.Contains(claim.Header)) outputs.Add(claim.Header);
            }
        }
        var rules = ImmutableArray.CreateBuilder<JwtRuleModel>(config.Rules.Count);
        for (var i = 0; i < config.Rules.Count; i++)
        {
            var rule = config.Rules[i];
            var at = $"{where}: rules[{i}]";
            var match = Match(rule.Match ?? throw new ConfigException($"{at}.match is required"), $"{at}.match");
            var requirement = rule.Requires is null ? JwtRequirementModel.AllowAll : Requirement(rule.Requires, providers, [], $"{at}.requires");
            rules.Add(new JwtRuleModel(match, requirement));
        }
        return new JwtAuthnFilter(rules.MoveToImmutable(), [.. outputs], config.BypassCorsPreflight);
    }

    private static JwtProviderModel Provider(string name, JwtProvider p, string where)
    {
        IJwksSource keys = p.JwksSourceSpecifierCase switch
        {
            JwtProvider.JwksSourceSpecifierOneofCase.LocalJwks => new InlineJwks(JwksKeySet.Parse(Inline(p.LocalJwks, $"{where}.local_jwks"))),
            JwtProvider.JwksSourceSpecifierOneofCase.RemoteJwks => Remote(p.RemoteJwks, $"{where}.remote_jwks"),
            _ => throw new ConfigException($"{where}: needs local_jwks or remote_jwks"),
        };
        var headers = ImmutableArray.CreateBuilder<JwtHeaderLocation>(p.FromHeaders.Count);
        for (var i = 0; i < p.FromHeaders.Count; i++)
        {
            var header = p.FromHeaders[i];
            headers.Add(new JwtHeaderLocation(HeaderName(header.Name, $"{where}.from_headers[{i}].name"), header.ValuePrefix));
        }
        ImmutableArray<string> parameters = [.. p.FromParams.Where(n => n.Length > 0)];
        ImmutableArray<string> cookies = [.. p.FromCookies.Where(n => n.Length > 0)];
        var defaults = headers.Count == 0 && parameters.Length == 0 && cookies.Length == 0;
        var claims = ImmutableArray.CreateBuilder<JwtClaimHeader>(p.ClaimToHeaders.Count);
        for (var i = 0; i < p.ClaimToHeaders.Count; i++)
        {
            var claim = p.ClaimToHeaders[i];
            if (claim.ClaimName.Length == 0) throw new ConfigException($"{where}.claim_to_headers[{i}].claim_name must not be empty");
            claims.Add(new JwtClaimHeader(HeaderName(claim.HeaderName, $"{where}.claim_to_headers[{i}].header_name"), claim.ClaimName));
        }
        return new JwtProviderModel(
            name,
            p.Issuer,
            [.. p.Audiences.Select(JwtProviderModel.NormalizeAudience)],
            keys,
            p.Forward,
            defaults ? JwtProviderModel.DefaultHeaders : headers.MoveToImmutable(),
            defaults ? JwtProviderModel.DefaultParams : parameters,
            cookies,
            p.ForwardPayloadHeader.Length == 0 ? null : HeaderName(p.ForwardPayloadHeader, $"{where}.forward_payload_header"),
            p.ClockSkewSeconds == 0 ? JwtProviderModel.DefaultClockSkew : TimeSpan.FromSeconds(p.ClockSkewSeconds),
            claims.MoveToImmutable());
    }

    private static string Inline(DataSource source, string where) => source.SpecifierCase switch
    {
        DataSource.SpecifierOneofCase.InlineString => source.InlineString,
        DataSource.SpecifierOneofCase.InlineBytes => source.InlineBytes.ToStringUtf8(),
        DataSource.SpecifierOneofCase.Filename => throw new ConfigException($"{where}.filename is not supported (send the JWKS inline)"),
        _ => throw new ConfigException($"{where}: needs inline_string or inline_bytes"),
    };

    private static RemoteJwks Remote(Envoy.Extensions.Filters.Http.JwtAuthn.V3.RemoteJwks remote, string where)
    {
        var uri = remote.HttpUri?.Uri ?? throw new ConfigException($"{where}.http_uri is required");
        if (!Uri.TryCreate(uri, UriKind.Absolute, out var parsed) || (parsed.Scheme != Uri.UriSchemeHttp && parsed.Scheme != Uri.UriSchemeHttps))
            throw new ConfigException($"{where}.http_uri.uri \"{uri}\" must be an absolute http or https URL");
        var timeout = remote.HttpUri.Timeout?.ToTimeSpan() ?? Jwt.RemoteJwks.DefaultTimeout;
        if (timeout <= TimeSpan.Zero) timeout = Jwt.RemoteJwks.DefaultTimeout;
        var duration = remote.CacheDuration?.ToTimeSpan() ?? Jwt.RemoteJwks.DefaultCacheDuration;
        if (duration < TimeSpan.FromMilliseconds(1)) throw new ConfigException($"{where}.cache_duration must be at least 1ms");
        return new Jwt.RemoteJwks(JwksEndpoint.For(parsed), duration, timeout);
    }

    private static JwtRequirementModel Requirement(JwtRequirement r, Dictionary<string, JwtProviderModel> providers, ImmutableArray<JwtProviderModel> siblings, string where)
    {
        switch (r.RequiresTypeCase)
        {
            case JwtRequirement.RequiresTypeOneofCase.ProviderName:
                var named = Named(r.ProviderName, providers, where);
                return JwtRequirementModel.Provider(named, named.Audiences);
            case JwtRequirement.RequiresTypeOneofCase.ProviderAndAudiences:
                var provider = Named(r.ProviderAndAudiences.ProviderName, providers, where);
                return JwtRequirementModel.Provider(provider, [.. r.ProviderAndAudiences.Audiences.Select(JwtProviderModel.NormalizeAudience)]);
            case JwtRequirement.RequiresTypeOneofCase.RequiresAny:
                return JwtRequirementModel.Any(Children(r.RequiresAny.Requirements, providers, $"{where}.requires_any"));
            case JwtRequirement.RequiresTypeOneofCase.RequiresAll:
                return JwtRequirementModel.All(Children(r.RequiresAll.Requirements, providers, $"{where}.requires_all"));
            case JwtRequirement.RequiresTypeOneofCase.AllowMissing:
                return JwtRequirementModel.AllowMissing(siblings, orFailed: false);
            case JwtRequirement.RequiresTypeOneofCase.AllowMissingOrFailed:
                return JwtRequirementModel.AllowMissing(siblings, orFailed: true);
            default:
                return JwtRequirementModel.AllowAll;
        }
    }

    /// <summary>A list's children; allow_missing(_or_failed) in it covers the providers its siblings name (Envoy's AnyVerifier).</summary>
    private static ImmutableArray<JwtRequirementModel> Children(IList<JwtRequirement> list, Dictionary<string, JwtProviderModel> providers, string where)
    {
        if (list.Count < 2) throw new ConfigException($"{where}.requirements must have at least 2 items");
        var siblings = ImmutableArray.CreateBuilder<JwtProviderModel>();
        foreach (var child in list)
        {
            var name = child.RequiresTypeCase switch
            {
                JwtRequirement.RequiresTypeOneofCase.ProviderName => child.ProviderName,
                JwtRequirement.RequiresTypeOneofCase.ProviderAndAudiences => child.ProviderAndAudiences.ProviderName,
                _ => null,
            };
            if (name is not null && providers.TryGetValue(name, out var p) && !siblings.Contains(p)) siblings.Add(p);
        }
        var scope = siblings.ToImmutable();
        var children = ImmutableArray.CreateBuilder<JwtRequirementModel>(list.Count);
        for (var i = 0; i < list.Count; i++) children.Add(Requirement(list[i], providers, scope, $"{where}.requirements[{i}]"));
        return children.MoveToImmutable();
    }

    private static JwtProviderModel Named(string name, Dictionary<string, JwtProviderModel> providers, string where) =>
        providers.TryGetValue(name, out var provider) ? provider : throw new ConfigException($"{where}: Required provider ['{name}'] is not configured.");

    private static RouteMatcher Match(RouteMatch match, string where)
    {
        var ignoreCase = match.CaseSensitive is false;
        var path = match.PathSpecifierCase switch
        {
            RouteMatch.PathSpecifierOneofCase.Prefix => PathMatch.ForPrefix(match.Prefix, ignoreCase),
            RouteMatch.PathSpecifierOneofCase.Path => PathMatch.ForPath(match.Path, ignoreCase),
            RouteMatch.PathSpecifierOneofCase.SafeRegex => PathMatch.ForRegex(match.SafeRegex.Regex, $"{where}.safe_regex"),
            RouteMatch.PathSpecifierOneofCase.PathSeparatedPrefix => PathMatch.ForSeparatedPrefix(match.PathSeparatedPrefix, ignoreCase),
            _ => throw new ConfigException($"{where}: needs prefix, path, safe_regex or path_separated_prefix"),
        };
        if (match.QueryParameters.Count > 0) throw new ConfigException($"{where}.query_parameters is not supported in jwt_authn rules");
        var headers = ImmutableArray.CreateBuilder<HeaderMatcherModel>(match.Headers.Count);
        for (var i = 0; i < match.Headers.Count; i++) headers.Add(RouteCompiler.Header(match.Headers[i], $"{where}.headers[{i}]"));
        return new RouteMatcher(path, headers.MoveToImmutable(), []) { GrpcOnly = match.Grpc is not null };
    }

    private static string HeaderName(string name, string where)
    {
        if (name.Length == 0) throw new ConfigException($"{where} must not be empty");
        foreach (var c in name)
        {
            if (c <= ' ' || c >= 0x7f || "()<>@,;:\\\"/[]?={}".Contains(c, StringComparison.Ordinal))
                throw new ConfigException($"{where} \"{name}\" is not a valid HTTP header name");
        }
        return name.ToLowerInvariant();
    }
}
