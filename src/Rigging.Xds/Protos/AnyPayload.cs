using System.Collections.Frozen;
using System.Diagnostics.CodeAnalysis;
using Envoy.Extensions.Filters.Http.Cors.V3;
using Envoy.Extensions.Filters.Http.ExtAuthz.V3;
using Envoy.Extensions.Filters.Http.Fault.V3;
using Envoy.Extensions.Filters.Http.JwtAuthn.V3;
using Envoy.Extensions.Filters.Http.Router.V3;
using Envoy.Extensions.Filters.Network.HttpConnectionManager.V3;
using Envoy.Extensions.Filters.Network.TcpProxy.V3;
using Envoy.Extensions.TransportSockets.Tls.V3;
using Envoy.Extensions.Upstreams.Http.V3;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using HttpRbac = Envoy.Extensions.Filters.Http.Rbac.V3.RBAC;
using NetworkRbac = Envoy.Extensions.Filters.Network.Rbac.V3.RBAC;

namespace Rigging.Xds.Protos;

/// <summary>
/// Any payloads (typed_config and the like) read without protobuf descriptors. Google.Protobuf's Any.Is and
/// Unpack ask the message for its descriptor only to compare one name, and that builds the message's .proto file
/// and every file it imports: for xDS types, megabytes of loaded types and heap in each sidecar. Here the names
/// are listed (proto full names, wire facts; a test checks each against its descriptor); a type not listed falls
/// back to its descriptor.
/// </summary>
public static class AnyPayload
{
    private static readonly FrozenDictionary<System.Type, string> Names = new Dictionary<System.Type, string>
    {
        [typeof(HttpConnectionManager)] = "envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager",
        [typeof(TcpProxy)] = "envoy.extensions.filters.network.tcp_proxy.v3.TcpProxy",
        [typeof(NetworkRbac)] = "envoy.extensions.filters.network.rbac.v3.RBAC",
        [typeof(Router)] = "envoy.extensions.filters.http.router.v3.Router",
        [typeof(HTTPFault)] = "envoy.extensions.filters.http.fault.v3.HTTPFault",
        [typeof(Cors)] = "envoy.extensions.filters.http.cors.v3.Cors",
        [typeof(CorsPolicy)] = "envoy.extensions.filters.http.cors.v3.CorsPolicy",
        [typeof(JwtAuthentication)] = "envoy.extensions.filters.http.jwt_authn.v3.JwtAuthentication",
        [typeof(HttpRbac)] = "envoy.extensions.filters.http.rbac.v3.RBAC",
        [typeof(ExtAuthz)] = "envoy.extensions.filters.http.ext_authz.v3.ExtAuthz",
        [typeof(DownstreamTlsContext)] = "envoy.extensions.transport_sockets.tls.v3.DownstreamTlsContext",
        [typeof(UpstreamTlsContext)] = "envoy.extensions.transport_sockets.tls.v3.UpstreamTlsContext",
        [typeof(HttpProtocolOptions)] = "envoy.extensions.upstreams.http.v3.HttpProtocolOptions",
    }.ToFrozenDictionary();

    /// <summary>The listed types and their proto full names.</summary>
    public static IReadOnlyDictionary<System.Type, string> Listed => Names;

    /// <summary>The proto full name of <typeparamref name="T"/>.</summary>
    public static string NameOf<T>() where T : IMessage, new() =>
        Names.TryGetValue(typeof(T), out var name) ? name : new T().Descriptor.FullName;

    /// <summary>The payload's type name: its type URL after the last '/' ("" without one, as Any.GetTypeName).</summary>
    public static string TypeName(Any any)
    {
        ArgumentNullException.ThrowIfNull(any);
        var slash = any.TypeUrl.LastIndexOf('/');
        return slash < 0 ? "" : any.TypeUrl[(slash + 1)..];
    }

    /// <summary>Whether the payload is a <typeparamref name="T"/>.</summary>
    public static bool Is<T>(Any any) where T : IMessage, new() => TypeName(any) == NameOf<T>();

    /// <summary>The payload as a <typeparamref name="T"/>, or false when it is another type.</summary>
    /// <exception cref="InvalidProtocolBufferException">It is a <typeparamref name="T"/> whose bytes do not parse.</exception>
    public static bool TryUnpack<T>(Any any, [NotNullWhen(true)] out T? value) where T : class, IMessage<T>, new()
    {
        value = Is<T>(any) ? Parse<T>(any) : null;
        return value is not null;
    }

    /// <summary>The payload's bytes parsed as a <typeparamref name="T"/> (the caller has checked its type).</summary>
    /// <exception cref="InvalidProtocolBufferException">The bytes do not parse.</exception>
    public static T Parse<T>(Any any) where T : class, IMessage<T>, new()
    {
        ArgumentNullException.ThrowIfNull(any);
        var value = new T();
        value.MergeFrom(any.Value);
        return value;
    }
}
