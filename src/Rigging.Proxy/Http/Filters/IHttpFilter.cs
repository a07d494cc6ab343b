using Rigging.Proxy.Http.Forwarding;

namespace Rigging.Proxy.Http.Filters;

/// <summary>
/// One HTTP filter of a connection manager (fault, CORS, RBAC, ...): an immutable instance compiled from its
/// config once per snapshot, called for each request after the route is matched (and its cluster chosen) and
/// before the router acts. Returns null to let the request continue, or the outcome of answering it itself.
/// A filter that must touch the response registers <c>Response.OnStarting</c>.
/// </summary>
public interface IHttpFilter
{
    ValueTask<ForwardOutcome?> OnRequestAsync(HttpFilterContext request);
}
