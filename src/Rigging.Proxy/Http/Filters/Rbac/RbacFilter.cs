using Microsoft.AspNetCore.Http;
using Rigging.Proxy.Http.Forwarding;
using Rigging.Proxy.Telemetry;

namespace Rigging.Proxy.Http.Filters.Rbac;

/// <summary>
/// envoy.filters.http.rbac, as Envoy's RBAC filter behaves:
/// 1. shadow_rules (dry run) are evaluated first: the result only counts (rbac.&lt;shadow prefix&gt;shadow_allowed /
///    shadow_denied) and is written to dynamic metadata under envoy.filters.http.rbac as
///    &lt;shadow prefix&gt;shadow_effective_policy_id and &lt;shadow prefix&gt;shadow_engine_result (ext_authz reads it);
/// 2. rules are enforced: ALLOW/DENY answer a refused request 403 "RBAC: access denied" (Envoy's local reply) and
///    count rbac.&lt;prefix&gt;denied, otherwise rbac.&lt;prefix&gt;allowed; LOG never refuses and counts logged / not_logged;
/// 3. without rules nothing is enforced.
/// </summary>
public sealed class RbacFilter : IHttpFilter
{
    public const string Name = "envoy.filters.http.rbac";
    public const string DeniedBody = "RBAC: access denied";

    private readonly RbacEngine? _rules;
    private readonly RbacEngine? _shadow;
    private readonly string _allowed, _denied, _logged, _notLogged, _shadowAllowed, _shadowDenied, _shadowPolicyKey, _shadowResultKey;

    public RbacFilter(RbacEngine? rules, RbacEngine? shadow, string rulesStatPrefix, string shadowStatPrefix)
    {
        _rules = rules;
        _shadow = shadow;
        _allowed = $"rbac.{rulesStatPrefix}allowed";
        _denied = $"rbac.{rulesStatPrefix}denied";
        _logged = $"rbac.{rulesStatPrefix}logged";
        _notLogged = $"rbac.{rulesStatPrefix}not_logged";
        _shadowAllowed = $"rbac.{shadowStatPrefix}shadow_allowed";
        _shadowDenied = $"rbac.{shadowStatPrefix}shadow_denied";
        _shadowPolicyKey = shadowStatPrefix + "shadow_effective_policy_id";
        _shadowResultKey = shadowStatPrefix + "shadow_engine_result";
    }

    public RbacEngine? Rules => _rules;

    public RbacEngine? Shadow => _shadow;

    public ValueTask<ForwardOutcome?> OnRequestAsync(HttpFilterContext request)
    {
        var input = RbacInput.FromHttp(request.Http);
        if (_shadow is not null) EvaluateShadow(request, input);
        if (_rules is null) return ValueTask.FromResult<ForwardOutcome?>(null);

        var allowed = _rules.Allows(input, out var matched);
        if (_rules.Action == RbacAction.Log)
        {
            Count(request, matched is null ? _notLogged : _logged);
            return ValueTask.FromResult<ForwardOutcome?>(null);
        }
        if (allowed)
        {
            Count(request, _allowed);
            return ValueTask.FromResult<ForwardOutcome?>(null);
        }
        Count(request, _denied);
        return DenyAsync(request);
    }

    /// <summary>The decision for a described request, without answering it (simulation, tests).</summary>
    public RbacDecision Evaluate(in RbacInput input)
    {
        string? shadowPolicy = null;
        var shadowAllowed = _shadow?.Allows(input, out shadowPolicy);
        string? policy = null;
        var allowed = _rules?.Allows(input, out policy) ?? true;
        return new RbacDecision(allowed, policy, shadowAllowed, shadowPolicy);
    }

    private void EvaluateShadow(HttpFilterContext request, in RbacInput input)
    {
        var allowed = _shadow!.Allows(input, out var matched);
        Count(request, allowed ? _shadowAllowed : _shadowDenied);
        var metadata = FilterMetadata.For(request.Http);
        if (matched is not null) metadata.Set(Name, _shadowPolicyKey, matched);
        metadata.Set(Name, _shadowResultKey, allowed ? "allowed" : "denied");
    }

    private static void Count(HttpFilterContext request, string name) => request.Stats?.Increment(request.StatPrefix, name);

    private static async ValueTask<ForwardOutcome?> DenyAsync(HttpFilterContext request)
    {
        request.Flags |= ResponseFlags.RbacAccessDenied;
        return await HttpForwarder.LocalReplyAsync(request.Http, StatusCodes.Status403Forbidden, DeniedBody, request.Flags, null).ConfigureAwait(false);
    }
}

/// <summary>What the RBAC filter decided: enforced (allowed, matching policy) and dry run (null without shadow rules).</summary>
public readonly record struct RbacDecision(bool Allowed, string? Policy, bool? ShadowAllowed, string? ShadowPolicy);
