using System.Collections.Frozen;
using System.Collections.Immutable;
using Envoy.Config.Route.V3;
using Rigging.Proxy.Routing;

namespace Rigging.Proxy.Config;

internal static partial class RouteCompiler
{
    private static ForwardAction Forward(RouteAction action, string where)
    {
        var clusters = action.ClusterSpecifierCase switch
        {
            RouteAction.ClusterSpecifierOneofCase.Cluster => WeightedClusterChoice.Single(action.Cluster),
            RouteAction.ClusterSpecifierOneofCase.WeightedClusters => new WeightedClusterChoice(
                [.. action.WeightedClusters.Clusters.Select(c => (c.Name, c.Weight ?? 0))]),
            _ => throw new ConfigException($"{where}: route needs cluster or weighted_clusters"),
        };
        return new ForwardAction(clusters)
        {
            Timeout = action.Timeout?.ToTimeSpan() ?? TimeSpan.Zero,
            PrefixRewrite = string.IsNullOrEmpty(action.PrefixRewrite) ? null : action.PrefixRewrite,
            RegexRewrite = action.RegexRewrite is { } rr ? (CompiledRegex.CreateUnanchored(rr.Pattern.Regex), rr.Substitution) : null,
            HostRewrite = string.IsNullOrEmpty(action.HostRewriteLiteral) ? null : action.HostRewriteLiteral,
            Retry = action.RetryPolicy is { } retry ? Retry(retry, where) : null,
            Mirrors = [.. action.RequestMirrorPolicies.Select(m => new MirrorPolicy(m.Cluster, Fractions.Of(m.RuntimeFraction)))],
        };
    }

    private static RetryPolicyModel Retry(RetryPolicy retry, string where)
    {
        var on = RetryOn.None;
        foreach (var condition in retry.RetryOn.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            on |= condition switch
            {
                "5xx" => RetryOn.FiveXx,
                "gateway-error" => RetryOn.GatewayError,
                "reset" => RetryOn.Reset,
                "reset-before-request" => RetryOn.ResetBeforeRequest,
                "connect-failure" => RetryOn.ConnectFailure,
                "retriable-4xx" => RetryOn.Retriable4xx,
                "refused-stream" => RetryOn.RefusedStream,
                "retriable-status-codes" => RetryOn.RetriableStatusCodes,
                "cancelled" => RetryOn.GrpcCancelled,
                "deadline-exceeded" => RetryOn.GrpcDeadlineExceeded,
                "internal" => RetryOn.GrpcInternal,
                "resource-exhausted" => RetryOn.GrpcResourceExhausted,
                "unavailable" => RetryOn.GrpcUnavailable,
                // Conditions we cannot observe from here are accepted and never trigger (Envoy ignores unknown ones too).
                _ => RetryOn.None,
            };
        }
        return new RetryPolicyModel
        {
            On = on,
            NumRetries = (int)(retry.NumRetries ?? 1),
            PerTryTimeout = retry.PerTryTimeout?.ToTimeSpan() ?? TimeSpan.Zero,
            RetriableStatusCodes = retry.RetriableStatusCodes.Select(c => (int)c).ToFrozenSet(),
            BackoffBase = retry.RetryBackOff?.BaseInterval?.ToTimeSpan() ?? TimeSpan.FromMilliseconds(25),
            BackoffMax = retry.RetryBackOff?.MaxInterval?.ToTimeSpan() ?? (retry.RetryBackOff?.BaseInterval?.ToTimeSpan() * 10) ?? TimeSpan.FromMilliseconds(250),
            AvoidPreviousHosts = retry.RetryHostPredicate.Any(p => p.Name == "envoy.retry_host_predicates.previous_hosts"),
        };
    }

    private static RedirectActionModel Redirect(RedirectAction redirect) => new()
    {
        Scheme = redirect.HttpsRedirect ? "https" : string.IsNullOrEmpty(redirect.SchemeRedirect) ? null : redirect.SchemeRedirect,
        Host = string.IsNullOrEmpty(redirect.HostRedirect) ? null : redirect.HostRedirect,
        Port = (int)redirect.PortRedirect,
        Path = string.IsNullOrEmpty(redirect.PathRedirect) ? null : redirect.PathRedirect,
        PrefixRewrite = string.IsNullOrEmpty(redirect.PrefixRewrite) ? null : redirect.PrefixRewrite,
        StripQuery = redirect.StripQuery,
        StatusCode = redirect.ResponseCode switch
        {
            RedirectAction.Types.RedirectResponseCode.Found => 302,
            RedirectAction.Types.RedirectResponseCode.SeeOther => 303,
            RedirectAction.Types.RedirectResponseCode.TemporaryRedirect => 307,
            RedirectAction.Types.RedirectResponseCode.PermanentRedirect => 308,
            _ => 301,
        },
    };

    private static DirectResponseModel DirectResponse(DirectResponseAction direct, string where)
    {
        if (direct.Status is < 200 or > 599) throw new ConfigException($"{where}: direct_response.status {direct.Status} must be 200-599");
        byte[]? body = direct.Body?.SpecifierCase switch
        {
            Envoy.Config.Core.V3.DataSource.SpecifierOneofCase.InlineString => System.Text.Encoding.UTF8.GetBytes(direct.Body.InlineString),
            Envoy.Config.Core.V3.DataSource.SpecifierOneofCase.InlineBytes => direct.Body.InlineBytes.ToByteArray(),
            null or Envoy.Config.Core.V3.DataSource.SpecifierOneofCase.None => null,
            _ => throw new ConfigException($"{where}: direct_response.body must be inline_string or inline_bytes"),
        };
        return new DirectResponseModel((int)direct.Status, body);
    }
}
