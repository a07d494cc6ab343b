using Envoy.Config.Core.V3;
using Envoy.Config.Route.V3;
using Google.Protobuf.WellKnownTypes;
using Rigging.Api.Model;
using Duration = Google.Protobuf.WellKnownTypes.Duration;
using Rigging.Api.Networking;
using Rigging.ControlPlane.Model;
using Rigging.ControlPlane.Registry;
using EnvoyRoute = Envoy.Config.Route.V3.Route;

namespace Rigging.ControlPlane.Translation;

internal static partial class RouteTranslator
{
    /// <summary>Istio's default retries: 2 attempts on connection-level failures and 503, avoiding the previous host.</summary>
    private const string DefaultRetryOn = "connect-failure,refused-stream,unavailable,cancelled,retriable-status-codes";

    /// <summary>Timeout (0 = none, Istio's default), retries (Istio's when unset) and the consistent-hash policy.</summary>
    private static RouteAction WithDefaults(RouteAction action, HttpRoute? http, ServiceModel? service, PushContext push, ProxyView proxy)
    {
        action.Timeout = Duration.FromTimeSpan(http?.Timeout?.Value ?? TimeSpan.Zero);
        var retries = http?.Retries;
        if (retries?.Attempts is 0)
        {
            // attempts: 0 turns retries off.
        }
        else
        {
            var policy = new RetryPolicy
            {
                RetryOn = string.IsNullOrEmpty(retries?.RetryOn) ? DefaultRetryOn : retries.RetryOn,
                NumRetries = (uint)(retries?.Attempts ?? 2),
                HostSelectionRetryMaxAttempts = 5,
            };
            if (retries?.PerTryTimeout is { } perTry) policy.PerTryTimeout = Duration.FromTimeSpan(perTry.Value);
            if (retries?.Backoff is { } backoff) policy.RetryBackOff = new RetryPolicy.Types.RetryBackOff { BaseInterval = Duration.FromTimeSpan(backoff.Value) };
            if (policy.RetryOn.Contains("retriable-status-codes", StringComparison.Ordinal)) policy.RetriableStatusCodes.Add(503);
            foreach (var code in policy.RetryOn.Split(','))
            {
                if (uint.TryParse(code.Trim(), System.Globalization.CultureInfo.InvariantCulture, out var status) && !policy.RetriableStatusCodes.Contains(status))
                    policy.RetriableStatusCodes.Add(status);
            }
            if (retries?.RetryIgnorePreviousHosts is not false)
                policy.RetryHostPredicate.Add(new RetryPolicy.Types.RetryHostPredicate { Name = "envoy.retry_host_predicates.previous_hosts" });
            action.RetryPolicy = policy;
        }
        if (service is not null && push.DestinationRuleFor(proxy, service)?.Rule.TrafficPolicy?.LoadBalancer?.ConsistentHash is { } hash)
        {
            action.HashPolicy.Add(HashPolicy(hash));
        }
        return action;
    }

    private static RouteAction.Types.HashPolicy HashPolicy(LoadBalancerConsistentHash hash)
    {
        var policy = new RouteAction.Types.HashPolicy();
        if (hash.HttpHeaderName is { } header) policy.Header = new RouteAction.Types.HashPolicy.Types.Header { HeaderName = header };
        else if (hash.HttpCookie is { } cookie)
            policy.Cookie = new RouteAction.Types.HashPolicy.Types.Cookie { Name = cookie.Name ?? "", Path = cookie.Path ?? "", Ttl = cookie.Ttl is { } ttl ? Duration.FromTimeSpan(ttl.Value) : null };
        else if (hash.HttpQueryParameterName is { } query) policy.QueryParameter = new RouteAction.Types.HashPolicy.Types.QueryParameter { Name = query };
        else policy.ConnectionProperties = new RouteAction.Types.HashPolicy.Types.ConnectionProperties { SourceIp = true };
        return policy;
    }

    private static RedirectAction Redirect(HttpRedirect redirect)
    {
        var action = new RedirectAction
        {
            ResponseCode = redirect.RedirectCode switch
            {
                302 => RedirectAction.Types.RedirectResponseCode.Found,
                303 => RedirectAction.Types.RedirectResponseCode.SeeOther,
                307 => RedirectAction.Types.RedirectResponseCode.TemporaryRedirect,
                308 => RedirectAction.Types.RedirectResponseCode.PermanentRedirect,
                _ => RedirectAction.Types.RedirectResponseCode.MovedPermanently,
            },
        };
        if (redirect.Uri is { } uri) action.PathRedirect = uri;
        else if (redirect.PrefixRewrite is { } prefix) action.PrefixRewrite = prefix;
        if (redirect.Authority is { } authority) action.HostRedirect = authority;
        if (redirect.Port is { } port) action.PortRedirect = port;
        if (redirect.Scheme is "https") action.HttpsRedirect = true;
        else if (redirect.Scheme is { } scheme) action.SchemeRedirect = scheme;
        return action;
    }

    private static DirectResponseAction Direct(HttpDirectResponse direct)
    {
        var action = new DirectResponseAction { Status = direct.Status ?? 200 };
        if (direct.Body?.String is { } text) action.Body = new DataSource { InlineString = text };
        else if (direct.Body?.Bytes is { } base64) action.Body = new DataSource { InlineBytes = Google.Protobuf.ByteString.FromBase64(base64) };
        return action;
    }

    private static void Headers(Headers? headers, ICollection<HeaderValueOption> requestAdd, ICollection<string> requestRemove,
        ICollection<HeaderValueOption> responseAdd, ICollection<string> responseRemove)
    {
        if (headers is null) return;
        Operations(headers.Request, requestAdd, requestRemove);
        Operations(headers.Response, responseAdd, responseRemove);
    }

    private static void Operations(HeaderOperations? operations, ICollection<HeaderValueOption> add, ICollection<string> remove)
    {
        if (operations is null) return;
        foreach (var (name, value) in operations.Set ?? new Dictionary<string, string>())
            add.Add(new HeaderValueOption { Header = new HeaderValue { Key = name, Value = value }, AppendAction = HeaderValueOption.Types.HeaderAppendAction.OverwriteIfExistsOrAdd });
        foreach (var (name, value) in operations.Add ?? new Dictionary<string, string>())
            add.Add(new HeaderValueOption { Header = new HeaderValue { Key = name, Value = value }, AppendAction = HeaderValueOption.Types.HeaderAppendAction.AppendIfExistsOrAdd });
        foreach (var name in operations.Remove ?? []) remove.Add(name);
    }

    /// <summary>
    /// A delegating route hands a part of the traffic to another VirtualService (one without hosts): its routes
    /// are used in place, each keeping its own match when it has one, else the parent's.
    /// </summary>
    private static IEnumerable<EnvoyRoute> Delegated(HttpRoute parent, RouteDelegate delegation, Resource parentResource, RouteContext context)
    {
        var ns = delegation.Namespace ?? parentResource.Namespace;
        var child = delegation.Name is { } name ? context.Push.FindVirtualService(ns, name) : null;
        if (child?.Spec is not VirtualService childSpec) yield break;
        var parentMatches = Applicable(parent.Match, context).ToList();
        foreach (var http in childSpec.Http ?? [])
        {
            if (http is null || http.Delegate is not null) continue;
            var own = Applicable(http.Match, context).ToList();
            if (http.Match is { Count: > 0 } && own.Count == 0) continue;
            var matches = own.Count > 0 ? own : parentMatches;
            foreach (var match in matches.Count == 0 ? [(HttpMatchRequest?)null] : matches.Cast<HttpMatchRequest?>())
            {
                yield return Build(http with { Headers = http.Headers ?? parent.Headers, Timeout = http.Timeout ?? parent.Timeout, Retries = http.Retries ?? parent.Retries },
                    match, child.Namespace, context);
            }
        }
    }
}
