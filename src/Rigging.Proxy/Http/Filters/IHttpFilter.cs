using Microsoft.AspNetCore.Http;
using Rigging.Proxy.Http.Forwarding;
using Rigging.Proxy.Routing;

namespace Rigging.Proxy.Http.Filters;

/// <summary>
/// One HTTP filter of a connection manager (fault, CORS, RBAC, ...): an immutable instance compiled from its
/// config once per snapshot, called for each request after the route is matched and before the router acts.
/// Returns null to let the request continue, or the outcome of answering it itself.
/// </summary>
public interface IHttpFilter
{
    ValueTask<ForwardOutcome?> OnRequestAsync(HttpContext context, RouteModel route);
}
