using Envoy.Extensions.Filters.Http.Cors.V3;
using Envoy.Extensions.Filters.Http.Fault.V3;
using Envoy.Extensions.Filters.Network.HttpConnectionManager.V3;
using Google.Protobuf;
using Rigging.Proxy.Http.Filters.Cors;
using Rigging.Proxy.Http.Filters.Fault;
using Rigging.Proxy.Listeners;
using Rigging.Xds.Protos;

namespace Rigging.Proxy.Config;

/// <summary>
/// HTTP filters → their compiled instances, chosen by typed_config type (as Envoy does) or, without one, by name.
/// Unknown filters are refused unless marked optional, as Envoy does, so a control plane learns at once (by NACK)
/// that the proxy cannot enforce what it asked for.
/// </summary>
internal static class HttpFilterCompiler
{
    public const string Router = "envoy.filters.http.router";
    public const string Fault = "envoy.filters.http.fault";
    public const string Cors = CorsPolicyModel.FilterName;

    public static HttpFilterConfig Compile(HttpFilter filter, string where)
    {
        var type = filter.TypedConfig is { } any ? AnyPayload.TypeName(any) : null;
        if (type == AnyPayload.NameOf<Envoy.Extensions.Filters.Http.Router.V3.Router>() || (type is null && filter.Name == Router))
            return new HttpFilterConfig(filter.Name, null);
        if (type == AnyPayload.NameOf<HTTPFault>() || (type is null && filter.Name == Fault))
        {
            var config = type is null ? FaultConfig.None : FaultConfig.Compile(Unpack<HTTPFault>(filter, where), $"{where}: typed_config");
            return new HttpFilterConfig(filter.Name, new FaultFilter(filter.Name, config));
        }
        if (type == AnyPayload.NameOf<Envoy.Extensions.Filters.Http.Cors.V3.Cors>() || (type is null && filter.Name == Cors))
            return new HttpFilterConfig(filter.Name, new CorsFilter(filter.Name));
        if (Http.Filters.Rbac.RbacFilterCompiler.TryCompile(filter, type, where) is { } authz) return authz;
        if (type == AnyPayload.NameOf<Envoy.Extensions.Filters.Http.JwtAuthn.V3.JwtAuthentication>() || (type is null && filter.Name == Http.Filters.Jwt.JwtAuthnCompiler.FilterName))
            return new HttpFilterConfig(filter.Name, type is null ? null : Http.Filters.Jwt.JwtAuthnCompiler.Compile(Unpack<Envoy.Extensions.Filters.Http.JwtAuthn.V3.JwtAuthentication>(filter, where), $"{where}: typed_config"));
        if (filter.IsOptional) return new HttpFilterConfig(filter.Name, null);
        throw new ConfigException($"{where}: HTTP filter {filter.Name}{(type is null ? "" : $" ({type})")} is not supported");
    }

    /// <summary>The filter's typed_config as a <typeparamref name="T"/> (its type checked by the caller); bad bytes are a ConfigException.</summary>
    internal static T Unpack<T>(HttpFilter filter, string where) where T : class, IMessage<T>, new()
    {
        try
        {
            return AnyPayload.Parse<T>(filter.TypedConfig);
        }
        catch (InvalidProtocolBufferException e)
        {
            throw new ConfigException($"{where}: typed_config does not parse as {AnyPayload.NameOf<T>()}: {e.Message}");
        }
    }
}
