using System.Collections.Immutable;
using Rigging.Proxy.Routing;

namespace Rigging.Proxy.Http.Filters.Rbac;

/// <summary>
/// One compiled node of an RBAC permission or principal tree (Envoy's Matcher): combinators and leaves over
/// <see cref="RbacInput"/>. Built once per snapshot by <see cref="RbacCompiler"/>; evaluation allocates nothing
/// except where a JWT claim string must be read.
/// </summary>
public abstract class RbacMatcher
{
    public static RbacMatcher Any { get; } = new AnyMatcher();

    public abstract bool Matches(in RbacInput input);

    public static RbacMatcher And(ImmutableArray<RbacMatcher> all) => all.Length == 1 ? all[0] : new AndMatcher(all);

    public static RbacMatcher Or(ImmutableArray<RbacMatcher> any) => any.Length == 1 ? any[0] : new OrMatcher(any);

    public static RbacMatcher Not(RbacMatcher inner) => new NotMatcher(inner);

    public static RbacMatcher Header(HeaderMatcherModel header) => new HeaderMatcher(header);

    public static RbacMatcher UrlPath(RbacStringMatcher path) => new PathMatcher(path);

    public static RbacMatcher DestinationIp(CidrMatcher cidr) => new IpMatcher(cidr, IpSource.Destination);

    public static RbacMatcher DirectRemoteIp(CidrMatcher cidr) => new IpMatcher(cidr, IpSource.DirectRemote);

    public static RbacMatcher RemoteIp(CidrMatcher cidr) => new IpMatcher(cidr, IpSource.Remote);

    public static RbacMatcher DestinationPort(int port) => new PortMatcher(port);

    public static RbacMatcher ServerName(RbacStringMatcher name) => new ServerNameMatcher(name);

    public static RbacMatcher Metadata(MetadataMatcherModel metadata) => new MetadataMatcher(metadata);

    public static RbacMatcher Authenticated(RbacStringMatcher? principal) => new AuthenticatedMatcher(principal);

    private sealed class AnyMatcher : RbacMatcher
    {
        public override bool Matches(in RbacInput input) => true;
    }

    private sealed class AndMatcher(ImmutableArray<RbacMatcher> all) : RbacMatcher
    {
        public override bool Matches(in RbacInput input)
        {
            foreach (var m in all)
            {
                if (!m.Matches(input)) return false;
            }
            return true;
        }
    }

    private sealed class OrMatcher(ImmutableArray<RbacMatcher> any) : RbacMatcher
    {
        public override bool Matches(in RbacInput input)
        {
            foreach (var m in any)
            {
                if (m.Matches(input)) return true;
            }
            return false;
        }
    }

    private sealed class NotMatcher(RbacMatcher inner) : RbacMatcher
    {
        public override bool Matches(in RbacInput input) => !inner.Matches(input);
    }

    /// <summary>Header rules need a request: on a connection they never match (Envoy's network RBAC).</summary>
    private sealed class HeaderMatcher(HeaderMatcherModel header) : RbacMatcher
    {
        public override bool Matches(in RbacInput input) => input.Request is { } request && header.Matches(request);
    }

    /// <summary>url_path compares the path without its query string.</summary>
    private sealed class PathMatcher(RbacStringMatcher path) : RbacMatcher
    {
        public override bool Matches(in RbacInput input) =>
            input.Request is { } request && path.Matches(request.Path.HasValue ? request.Path.Value : "/");
    }

    private sealed class IpMatcher(CidrMatcher cidr, IpSource source) : RbacMatcher
    {
        public override bool Matches(in RbacInput input) => cidr.Matches(source switch
        {
            IpSource.Destination => input.DestinationIp,
            IpSource.DirectRemote => input.DirectRemoteIp,
            _ => input.RemoteIp,
        });
    }

    private sealed class PortMatcher(int port) : RbacMatcher
    {
        public override bool Matches(in RbacInput input) => input.DestinationPort == port;
    }

    private sealed class ServerNameMatcher(RbacStringMatcher name) : RbacMatcher
    {
        public override bool Matches(in RbacInput input) => name.Matches(input.ServerName ?? "");
    }

    private sealed class MetadataMatcher(MetadataMatcherModel metadata) : RbacMatcher
    {
        public override bool Matches(in RbacInput input) => metadata.Matches(input);
    }

    /// <summary>
    /// Envoy's authenticated: the connection presented a verified peer certificate; with principal_name, its URI SAN
    /// (the SPIFFE id, e.g. spiffe://cluster.local/ns/foo/sa/bar) must match, or its subject when it has none.
    /// </summary>
    private sealed class AuthenticatedMatcher(RbacStringMatcher? principal) : RbacMatcher
    {
        public override bool Matches(in RbacInput input)
        {
            if (input.Peer is not { } peer) return false;
            if (principal is null) return true;
            if (peer.Principal is { } id) return principal.Matches(id);
            return peer.Certificate is { } cert && principal.Matches(cert.Subject);
        }
    }

    private enum IpSource
    {
        Destination,
        DirectRemote,
        Remote,
    }
}
