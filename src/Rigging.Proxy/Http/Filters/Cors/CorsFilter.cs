using Microsoft.AspNetCore.Http;
using Rigging.Proxy.Http.Forwarding;

namespace Rigging.Proxy.Http.Filters.Cors;

/// <summary>
/// envoy.filters.http.cors, as Envoy's CORS filter behaves: for a route with an enabled policy and a request whose
/// Origin the policy allows, a preflight (OPTIONS with Access-Control-Request-Method) is answered 200 here with
/// the allowed origin, methods, headers, max age and credentials; any other such request continues and its
/// response gets Access-Control-Allow-Origin, -Allow-Credentials and -Expose-Headers. Everything else passes
/// through untouched.
/// </summary>
public sealed class CorsFilter(string name) : IHttpFilter
{
    public ValueTask<ForwardOutcome?> OnRequestAsync(HttpFilterContext request)
    {
        var policy = request.RouteConfig<CorsPolicyModel>(name) ?? request.RouteConfig<CorsPolicyModel>(CorsPolicyModel.FilterName);
        if (policy is null) return ValueTask.FromResult<ForwardOutcome?>(null);
        if (policy.Enabled < 1 && (policy.Enabled <= 0 || request.NextDouble() >= policy.Enabled)) return ValueTask.FromResult<ForwardOutcome?>(null);
        var http = request.Http;
        var origin = http.Request.Headers.Origin.ToString();
        if (origin.Length == 0 || !policy.AllowsOrigin(origin)) return ValueTask.FromResult<ForwardOutcome?>(null);

        if (HttpMethods.IsOptions(http.Request.Method) && http.Request.Headers.AccessControlRequestMethod.ToString().Length > 0)
        {
            var response = http.Response;
            response.StatusCode = StatusCodes.Status200OK;
            response.Headers.AccessControlAllowOrigin = origin;
            if (policy.AllowCredentials == true) response.Headers.AccessControlAllowCredentials = "true";
            if (!string.IsNullOrEmpty(policy.AllowMethods)) response.Headers.AccessControlAllowMethods = policy.AllowMethods;
            if (!string.IsNullOrEmpty(policy.AllowHeaders)) response.Headers.AccessControlAllowHeaders = policy.AllowHeaders;
            if (!string.IsNullOrEmpty(policy.MaxAge)) response.Headers.AccessControlMaxAge = policy.MaxAge;
            return ValueTask.FromResult<ForwardOutcome?>(new ForwardOutcome(StatusCodes.Status200OK, request.Flags, null));
        }

        http.Response.OnStarting(static state => ((Decoration)state).Apply(), new Decoration(http.Response, policy, origin));
        return ValueTask.FromResult<ForwardOutcome?>(null);
    }

    /// <summary>The headers an actual (non-preflight) CORS response gets, just before it starts.</summary>
    private sealed class Decoration(HttpResponse response, CorsPolicyModel policy, string origin)
    {
        public Task Apply()
        {
            response.Headers.AccessControlAllowOrigin = origin;
            if (policy.AllowCredentials == true) response.Headers.AccessControlAllowCredentials = "true";
            if (!string.IsNullOrEmpty(policy.ExposeHeaders)) response.Headers.AccessControlExposeHeaders = policy.ExposeHeaders;
            return Task.CompletedTask;
        }
    }
}
