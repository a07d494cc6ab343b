using System.Collections.Immutable;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Rigging.Proxy.Http.Forwarding;
using Rigging.Proxy.Routing;
using Rigging.Proxy.Security;

namespace Rigging.Proxy.Http.Filters.Jwt;

/// <summary>
/// envoy.filters.http.jwt_authn, as Envoy's JWT filter behaves:
/// 1. a CORS preflight passes when bypass_cors_preflight is set; otherwise the first rule whose match selects the
///    request gives its requirement; no rule, nothing is checked;
/// 2. the headers providers write (forward_payload_header, claim_to_headers) are removed from the request first,
///    so a client cannot forge them;
/// 3. the requirement is evaluated (<see cref="JwtRequirementModel"/>); a failure is answered here: 401 (403 for
///    audiences) with Envoy's status text as the body and <c>www-authenticate: Bearer realm="URL"</c>, plus
///    <c>, error="invalid_token"</c> unless the token was missing (gRPC requests get grpc-status instead);
/// 4. on success each verified token writes its provider's payload and claim headers, is removed from where it
///    came when its provider does not forward it, and the first one becomes the request's
///    <see cref="RequestPrincipal"/> (Istio's request.auth.*), which authorization reads.
/// </summary>
public sealed class JwtAuthnFilter(ImmutableArray<JwtRuleModel> rules, ImmutableArray<string> outputHeaders, bool bypassCorsPreflight) : IHttpFilter
{
    /// <summary>Envoy truncates the path in the realm to this many characters.</summary>
    private const int MaxRealmPath = 256;

    public ImmutableArray<JwtRuleModel> Rules => rules;

    public async ValueTask<ForwardOutcome?> OnRequestAsync(HttpFilterContext request)
    {
        var http = request.Http.Request;
        // bypass_cors_preflight: a preflight carries no credentials, so no requirement can apply to it.
        if (bypassCorsPreflight && HttpMethods.IsOptions(http.Method) && http.Headers.Origin.Count > 0 && http.Headers.AccessControlRequestMethod.Count > 0) return null;
        var path = http.Path.Value ?? "/";
        JwtRuleModel? rule = null;
        foreach (var candidate in rules)
        {
            if (candidate.Match.Matches(http, path))
            {
                rule = candidate;
                break;
            }
        }
        if (rule is null) return null;
        foreach (var header in outputHeaders) http.Headers.Remove(header);

        var run = new JwtRequest(request);
        var status = await rule.Requirement.EvaluateAsync(run).ConfigureAwait(false);
        if (status != JwtStatus.Ok) return await RefuseAsync(request, status).ConfigureAwait(false);
        if (run.Verified.Count > 0) JwtOutputs.Apply(request.Http, run.Verified);
        return null;
    }

    private static async Task<ForwardOutcome> RefuseAsync(HttpFilterContext request, JwtStatus status)
    {
        var context = request.Http;
        var code = status == JwtStatus.JwtAudienceNotAllowed ? StatusCodes.Status403Forbidden : StatusCodes.Status401Unauthorized;
        var text = JwtStatusText.Of(status);
        var challenge = $"Bearer realm=\"{Realm(context.Request)}\"";
        context.Response.Headers.WWWAuthenticate = status == JwtStatus.JwtMissed ? challenge : challenge + ", error=\"invalid_token\"";
        if (!RouteMatcher.IsGrpc(context.Request))
            return await HttpForwarder.LocalReplyAsync(context, code, text, request.Flags, null).ConfigureAwait(false);
        // Envoy's local reply for gRPC: trailers-only 200 with UNAUTHENTICATED (16) or PERMISSION_DENIED (7).
        context.Response.StatusCode = StatusCodes.Status200OK;
        context.Response.ContentType = "application/grpc";
        context.Response.Headers["grpc-status"] = code == StatusCodes.Status403Forbidden ? "7" : "16";
        context.Response.Headers["grpc-message"] = text;
        return new ForwardOutcome(StatusCodes.Status200OK, request.Flags, null);
    }

    /// <summary>The request's URL as Envoy's buildOriginalUri gives it: scheme://host/path?query, the path part cut at 256 characters.</summary>
    private static string Realm(HttpRequest request)
    {
        var target = request.HttpContext.Features.Get<IHttpRequestFeature>()?.RawTarget;
        if (string.IsNullOrEmpty(target) || target[0] != '/') target = request.Path.Value + request.QueryString.Value;
        if (target.Length > MaxRealmPath) target = target[..MaxRealmPath];
        var realm = $"{request.Scheme}://{request.Host.Value}{target}";
        return realm.Contains('"', StringComparison.Ordinal) ? realm.Replace("\"", "%22", StringComparison.Ordinal) : realm;
    }
}
