using Rigging.Api.Model;
using Rigging.Api.Networking;

namespace Rigging.Api.Validation;

internal sealed partial class VirtualServiceValidator
{
    private static void ValidateHttpRoute(HttpRoute route, bool isDelegate, FieldPath path, ValidationContext context)
    {
        var hasRoute = route.Route is { Count: > 0 };
        if (route.Delegate is { } delegation)
        {
            if (isDelegate) context.Invalid(path.Child("delegate"), delegation.Name, "a delegate virtual service cannot delegate again");
            if (hasRoute || route.Redirect is not null || route.DirectResponse is not null)
                context.Rule(path, "a route with delegate cannot also have route, redirect or directResponse");
            if (string.IsNullOrEmpty(delegation.Name)) context.Required(path.Child("delegate").Child("name"));
            if (delegation.Namespace is { } ns && !KubernetesNames.IsDns1123Label(ns))
                context.Invalid(path.Child("delegate").Child("namespace"), ns, KubernetesNames.Dns1123LabelMessage);
        }
        if (route.Redirect is not null && hasRoute) context.Rule(path, "HTTP route cannot contain both route and redirect");
        if (route.DirectResponse is not null && hasRoute) context.Rule(path, "HTTP route cannot contain both route and directResponse");
        if (route.DirectResponse is not null && route.Redirect is not null) context.Rule(path, "HTTP route cannot contain both redirect and directResponse");
        if (!hasRoute && route.Redirect is null && route.DirectResponse is null && route.Delegate is null)
            context.Required(path.Child("route"), "an HTTP route needs route, redirect, directResponse or delegate");
        if (route.Redirect is not null && route.Rewrite is not null) context.Rule(path, "HTTP route rule cannot contain both rewrite and redirect");
        if (route.Mirror is not null && route.Mirrors is { Count: > 0 }) context.Rule(path, "cannot specify both mirror and mirrors");
        if (route.WebsocketUpgrade is not null)
            context.Warning(path.Child("websocketUpgrade"), "is no longer an Istio field and is ignored: WebSocket upgrades are always allowed");

        var matches = route.Match ?? [];
        for (var i = 0; i < matches.Count; i++)
        {
            if (matches[i] is { } match) HttpMatch(match, path.Child("match").Index(i), context);
        }
        var destinations = route.Route ?? [];
        for (var i = 0; i < destinations.Count; i++)
        {
            if (destinations[i] is not { } destination) continue;
            var at = path.Child("route").Index(i);
            Destination(destination.Destination, at.Child("destination"), context);
            if (destination.Weight is < 0) context.Invalid(at.Child("weight"), destination.Weight, "weight must not be negative");
            HeaderOps(destination.Headers, at.Child("headers"), context);
        }
        if (route.Redirect is { } redirect) Redirect(redirect, path.Child("redirect"), context);
        if (route.DirectResponse is { } direct) DirectResponse(direct, path.Child("directResponse"), context);
        if (route.Rewrite is { } rewrite) Rewrite(rewrite, path.Child("rewrite"), context);
        if (route.Timeout is { } timeout && timeout.Value != TimeSpan.Zero) ValueRules.AtLeastOneMillisecond(timeout, path.Child("timeout"), context);
        if (route.Retries is { } retries) Retries(retries, path.Child("retries"), context);
        if (route.Fault is { } fault) Fault(fault, path.Child("fault"), context);
        if (route.Mirror is { } mirror) Destination(mirror, path.Child("mirror"), context);
        if (route.MirrorPercent is not null) context.Deprecated(path.Child("mirrorPercent"), "mirrorPercentage");
        if (route.MirrorPercent is > 100) context.Invalid(path.Child("mirrorPercent"), route.MirrorPercent, "percentage must be in range 0..100");
        ValueRules.Percentage(route.MirrorPercentage?.Value, path.Child("mirrorPercentage").Child("value"), context);
        var mirrors = route.Mirrors ?? [];
        for (var i = 0; i < mirrors.Count; i++)
        {
            if (mirrors[i] is not { } m) continue;
            Destination(m.Destination, path.Child("mirrors").Index(i).Child("destination"), context);
            ValueRules.Percentage(m.Percentage?.Value, path.Child("mirrors").Index(i).Child("percentage").Child("value"), context);
        }
        if (route.CorsPolicy is { } cors) Cors(cors, path.Child("corsPolicy"), context);
        HeaderOps(route.Headers, path.Child("headers"), context);
    }

    private static void HttpMatch(HttpMatchRequest match, FieldPath path, ValidationContext context)
    {
        HttpRules.StringMatch(match.Uri, path.Child("uri"), context);
        HttpRules.StringMatch(match.Scheme, path.Child("scheme"), context);
        HttpRules.StringMatch(match.Method, path.Child("method"), context);
        HttpRules.StringMatch(match.Authority, path.Child("authority"), context);
        HeaderMatches(match.Headers, path.Child("headers"), context);
        HeaderMatches(match.WithoutHeaders, path.Child("withoutHeaders"), context);
        foreach (var (name, value) in match.QueryParams ?? new Dictionary<string, StringMatch>())
        {
            if (name.Length == 0) context.Invalid(path.Child("queryParams"), name, "a query parameter name must not be empty");
            HttpRules.StringMatch(value, path.Child("queryParams").Key(name), context);
        }
        CommonMatch(match.Port, match.SourceLabels, match.Gateways, match.SourceNamespace, path, context);
    }

    private static void HeaderMatches(IReadOnlyDictionary<string, StringMatch>? headers, FieldPath path, ValidationContext context)
    {
        foreach (var (name, value) in headers ?? new Dictionary<string, StringMatch>())
        {
            var at = path.Key(name);
            // Pseudo-headers such as :authority are matched through uri/authority/method, not headers.
            if (name.Length == 0) context.Invalid(at, name, "header name must not be empty");
            else if (!name.StartsWith(':') && !HttpRules.IsHeaderName(name)) context.Invalid(at, name, "invalid header name");
            HttpRules.StringMatch(value, at, context);
        }
    }

    private static void HeaderOps(Headers? headers, FieldPath path, ValidationContext context)
    {
        if (headers is null) return;
        HttpRules.HeaderOperations(headers.Request, path.Child("request"), context);
        HttpRules.HeaderOperations(headers.Response, path.Child("response"), context);
    }

    private static void Redirect(HttpRedirect redirect, FieldPath path, ValidationContext context)
    {
        if (string.IsNullOrEmpty(redirect.Uri) && string.IsNullOrEmpty(redirect.Authority) && redirect.Port is null
            && redirect.DerivePort is null && string.IsNullOrEmpty(redirect.Scheme) && string.IsNullOrEmpty(redirect.PrefixRewrite))
            context.Rule(path, "redirect must specify URI, authority, scheme, port or derivePort");
        if (redirect.Uri is not null && redirect.PrefixRewrite is not null) context.Rule(path, "only one of uri or prefixRewrite may be set");
        if (redirect.Port is not null && redirect.DerivePort is not null) context.Rule(path, "only one of port or derivePort may be set");
        ValueRules.Port(redirect.Port, path.Child("port"), context);
        if (redirect.RedirectCode is { } code && code is < 300 or > 399)
            context.Invalid(path.Child("redirectCode"), code, "a redirect code must be 3xx");
    }

    private static void DirectResponse(HttpDirectResponse direct, FieldPath path, ValidationContext context)
    {
        if (direct.Status is not { } status) context.Required(path.Child("status"));
        else if (status is < 200 or > 599) context.Invalid(path.Child("status"), status, "status must be in range 200-599");
        if (direct.Body is { } body)
        {
            if (body.String is not null && body.Bytes is not null) context.Rule(path.Child("body"), "only one of string or bytes may be set");
            if ((body.String?.Length ?? 0) + (body.Bytes?.Length ?? 0) > 1024 * 1024)
                context.Invalid(path.Child("body"), "...", "a direct response body must be at most 1 MiB");
        }
    }

    private static void Rewrite(HttpRewrite rewrite, FieldPath path, ValidationContext context)
    {
        if (rewrite.Uri is not null && rewrite.UriRegexRewrite is not null) context.Rule(path, "rewrite may only contain one of uri or uriRegexRewrite");
        if (rewrite.Uri is null && rewrite.Authority is null && rewrite.UriRegexRewrite is null)
            context.Rule(path, "rewrite must specify uri, authority or uriRegexRewrite");
        if (rewrite.UriRegexRewrite is { } regex)
        {
            if (string.IsNullOrEmpty(regex.Match)) context.Required(path.Child("uriRegexRewrite").Child("match"));
            else HttpRules.Regex(regex.Match, path.Child("uriRegexRewrite").Child("match"), context);
            if (regex.Rewrite is null) context.Required(path.Child("uriRegexRewrite").Child("rewrite"));
        }
    }

    private static void Retries(HttpRetry retries, FieldPath path, ValidationContext context)
    {
        if (retries.Attempts is < 0) context.Invalid(path.Child("attempts"), retries.Attempts, "attempts cannot be negative");
        ValueRules.AtLeastOneMillisecond(retries.PerTryTimeout, path.Child("perTryTimeout"), context);
        ValueRules.AtLeastOneMillisecond(retries.Backoff, path.Child("backoff"), context);
        if (retries.RetryOn is { Length: > 0 } retryOn) HttpRules.RetryOn(retryOn, path.Child("retryOn"), context);
    }

    private static void Fault(HttpFaultInjection fault, FieldPath path, ValidationContext context)
    {
        if (fault.Delay is null && fault.Abort is null) context.Rule(path, "HTTP fault injection must have an abort and/or a delay");
        if (fault.Abort is { } abort)
        {
            var at = path.Child("abort");
            var kinds = (abort.HttpStatus is not null ? 1 : 0) + (abort.GrpcStatus is not null ? 1 : 0) + (abort.Http2Error is not null ? 1 : 0);
            if (kinds == 0) context.Rule(at, "abort must set one of httpStatus, grpcStatus or http2Error");
            if (kinds > 1) context.Rule(at, "abort may set only one of httpStatus, grpcStatus or http2Error");
            if (abort.HttpStatus is { } status && status is < 200 or > 599) context.Invalid(at.Child("httpStatus"), status, "httpStatus must be in range 200-599");
            ValueRules.Percentage(abort.Percentage?.Value, at.Child("percentage").Child("value"), context);
        }
        if (fault.Delay is { } delay)
        {
            var at = path.Child("delay");
            if (delay.FixedDelay is null && delay.ExponentialDelay is null) context.Required(at.Child("fixedDelay"), "a delay needs fixedDelay");
            ValueRules.AtLeastOneMillisecond(delay.FixedDelay, at.Child("fixedDelay"), context);
            ValueRules.AtLeastOneMillisecond(delay.ExponentialDelay, at.Child("exponentialDelay"), context);
            if (delay.Percent is not null) context.Deprecated(at.Child("percent"), "percentage");
            if (delay.Percent is < 0 or > 100) context.Invalid(at.Child("percent"), delay.Percent, "percentage must be in range 0..100");
            ValueRules.Percentage(delay.Percentage?.Value, at.Child("percentage").Child("value"), context);
        }
    }

    private static void Cors(CorsPolicy cors, FieldPath path, ValidationContext context)
    {
        if (cors.AllowOrigin is not null) context.Deprecated(path.Child("allowOrigin"), "allowOrigins");
        var origins = cors.AllowOrigins ?? [];
        for (var i = 0; i < origins.Count; i++) HttpRules.StringMatch(origins[i], path.Child("allowOrigins").Index(i), context);
        var methods = cors.AllowMethods ?? [];
        for (var i = 0; i < methods.Count; i++)
        {
            if (methods[i] is { } method && method != "*" && !HttpRules.IsMethod(method))
                context.Invalid(path.Child("allowMethods").Index(i), method, "not a valid HTTP method (GET, POST, PUT, DELETE, PATCH, HEAD, OPTIONS, CONNECT, TRACE)");
        }
        foreach (var (field, names) in new[] { ("allowHeaders", cors.AllowHeaders), ("exposeHeaders", cors.ExposeHeaders) })
        {
            for (var i = 0; i < (names?.Count ?? 0); i++)
            {
                if (names![i] is { } name && name != "*" && !HttpRules.IsHeaderName(name))
                    context.Invalid(path.Child(field).Index(i), name, "invalid header name");
            }
        }
        if (cors.MaxAge is { } maxAge && maxAge.Value.Ticks % TimeSpan.TicksPerSecond != 0)
            context.Invalid(path.Child("maxAge"), maxAge.Text, "maxAge is sent in whole seconds");
    }
}
