using System.Collections.Frozen;
using Envoy.Config.Core.V3;
using Envoy.Config.Route.V3;
using Rigging.Proxy.Routing;

namespace Rigging.Proxy.Config;

internal static partial class RouteCompiler
{
    private const string PreviousHosts = "envoy.retry_host_predicates.previous_hosts";

    /// <summary>
    /// A RetryPolicy with Envoy's defaults: one retry; back-off 25 ms base, 10× base as the ceiling; retriable
    /// status codes only count with retry_on "retriable-status-codes". Unknown retry_on conditions never trigger.
    /// </summary>
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
                _ => RetryOn.None,
            };
        }
        var perTry = retry.PerTryTimeout?.ToTimeSpan() ?? TimeSpan.Zero;
        if (perTry < TimeSpan.Zero) throw new ConfigException($"{where}.per_try_timeout must not be negative");
        var backoffBase = TimeSpan.FromMilliseconds(25);
        TimeSpan? backoffMax = null;
        if (retry.RetryBackOff is { } backoff)
        {
            backoffBase = backoff.BaseInterval?.ToTimeSpan() ?? throw new ConfigException($"{where}.retry_back_off.base_interval is required");
            if (backoffBase < TimeSpan.FromMilliseconds(1)) throw new ConfigException($"{where}.retry_back_off.base_interval must be at least 1ms");
            if (backoff.MaxInterval is { } max)
            {
                backoffMax = max.ToTimeSpan();
                if (backoffMax < backoffBase) throw new ConfigException($"{where}.retry_back_off.max_interval must be at least base_interval");
            }
        }
        foreach (var code in retry.RetriableStatusCodes)
        {
            if (code is < 100 or > 599) throw new ConfigException($"{where}.retriable_status_codes has {code}; status codes are 100-599");
        }
        var avoidPrevious = false;
        foreach (var predicate in retry.RetryHostPredicate) avoidPrevious |= predicate.Name == PreviousHosts;
        return new RetryPolicyModel
        {
            On = on,
            NumRetries = (int)Math.Min(retry.NumRetries ?? 1, 1000),
            PerTryTimeout = perTry,
            RetriableStatusCodes = retry.RetriableStatusCodes.Select(c => (int)c).ToFrozenSet(),
            BackoffBase = backoffBase,
            BackoffMax = backoffMax ?? backoffBase * 10,
            AvoidPreviousHosts = avoidPrevious,
        };
    }

    private static RedirectActionModel Redirect(RedirectAction redirect, RouteMatcher match, string where)
    {
        if (redirect.PortRedirect > 65535) throw new ConfigException($"{where}.port_redirect {redirect.PortRedirect} must be 1-65535");
        if (redirect.PathRewriteSpecifierCase == RedirectAction.PathRewriteSpecifierOneofCase.PrefixRewrite && match.Path.Prefix is null)
            throw new ConfigException($"{where}.prefix_rewrite needs a prefix, path or path_separated_prefix match");
        return new RedirectActionModel
        {
            Scheme = redirect.SchemeRewriteSpecifierCase switch
            {
                RedirectAction.SchemeRewriteSpecifierOneofCase.SchemeRedirect when redirect.SchemeRedirect.Length > 0 => redirect.SchemeRedirect.ToLowerInvariant(),
                RedirectAction.SchemeRewriteSpecifierOneofCase.HttpsRedirect when redirect.HttpsRedirect => "https",
                _ => null,
            },
            Host = string.IsNullOrEmpty(redirect.HostRedirect) ? null : redirect.HostRedirect,
            Port = (int)redirect.PortRedirect,
            Path = redirect.PathRewriteSpecifierCase == RedirectAction.PathRewriteSpecifierOneofCase.PathRedirect && redirect.PathRedirect.Length > 0 ? redirect.PathRedirect : null,
            PrefixRewrite = redirect.PathRewriteSpecifierCase == RedirectAction.PathRewriteSpecifierOneofCase.PrefixRewrite ? redirect.PrefixRewrite : null,
            RegexRewrite = redirect.PathRewriteSpecifierCase == RedirectAction.PathRewriteSpecifierOneofCase.RegexRewrite ? Rewrite(redirect.RegexRewrite, $"{where}.regex_rewrite") : null,
            StripQuery = redirect.StripQuery,
            StatusCode = redirect.ResponseCode switch
            {
                RedirectAction.Types.RedirectResponseCode.MovedPermanently => 301,
                RedirectAction.Types.RedirectResponseCode.Found => 302,
                RedirectAction.Types.RedirectResponseCode.SeeOther => 303,
                RedirectAction.Types.RedirectResponseCode.TemporaryRedirect => 307,
                RedirectAction.Types.RedirectResponseCode.PermanentRedirect => 308,
                var other => throw new ConfigException($"{where}.response_code {other} is not known"),
            },
        };
    }

    /// <summary>Envoy's default max_direct_response_body_size_bytes.</summary>
    private const int MaxDirectResponseBody = 4096;

    private static DirectResponseModel DirectResponse(DirectResponseAction direct, string where)
    {
        if (direct.Status is < 200 or > 599) throw new ConfigException($"{where}.status {direct.Status} must be 200-599");
        byte[]? body = direct.Body?.SpecifierCase switch
        {
            DataSource.SpecifierOneofCase.InlineString => System.Text.Encoding.UTF8.GetBytes(direct.Body.InlineString),
            DataSource.SpecifierOneofCase.InlineBytes => direct.Body.InlineBytes.ToByteArray(),
            DataSource.SpecifierOneofCase.EnvironmentVariable => System.Text.Encoding.UTF8.GetBytes(
                Environment.GetEnvironmentVariable(direct.Body.EnvironmentVariable)
                ?? throw new ConfigException($"{where}.body.environment_variable {direct.Body.EnvironmentVariable} is not set")),
            DataSource.SpecifierOneofCase.Filename => ReadBody(direct.Body.Filename, where),
            _ => null,
        };
        if (body?.Length > MaxDirectResponseBody)
            throw new ConfigException($"{where}.body is {body.Length} bytes; at most {MaxDirectResponseBody} are allowed");
        return new DirectResponseModel((int)direct.Status, body is { Length: 0 } ? null : body);
    }

    private static byte[] ReadBody(string path, string where)
    {
        try
        {
            var info = new FileInfo(path);
            if (info.Exists && info.Length > MaxDirectResponseBody)
                throw new ConfigException($"{where}.body.filename {path} is {info.Length} bytes; at most {MaxDirectResponseBody} are allowed");
            return File.ReadAllBytes(path);
        }
        catch (IOException e)
        {
            throw new ConfigException($"{where}.body.filename {path} cannot be read: {e.Message}");
        }
        catch (UnauthorizedAccessException e)
        {
            throw new ConfigException($"{where}.body.filename {path} cannot be read: {e.Message}");
        }
    }
}
