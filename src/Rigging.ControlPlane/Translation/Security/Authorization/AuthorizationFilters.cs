using Envoy.Config.Listener.V3;
using Envoy.Config.Rbac.V3;
using Envoy.Extensions.Filters.Network.HttpConnectionManager.V3;
using Google.Protobuf.WellKnownTypes;
using Rigging.Api.Model;
using Rigging.Api.Security;
using Rigging.ControlPlane.Model;
using HttpRbac = Envoy.Extensions.Filters.Http.Rbac.V3.RBAC;
using NetworkRbac = Envoy.Extensions.Filters.Network.Rbac.V3.RBAC;

namespace Rigging.ControlPlane.Translation.Security.Authorization;

/// <summary>
/// AuthorizationPolicy → the proxy's authorization filters, in Istio's order: CUSTOM (an RBAC filter whose shadow
/// rules mark matching requests, then ext_authz enabled only for marked ones), AUDIT (RBAC LOG), DENY, ALLOW.
/// No policy, no filter: everything is allowed. HTTP chains get envoy.filters.http.rbac; TCP chains
/// envoy.filters.network.rbac with only TCP-expressible rules.
/// </summary>
internal static class AuthorizationFilters
{
    public const string HttpRbacName = "envoy.filters.http.rbac";
    public const string NetworkRbacName = "envoy.filters.network.rbac";
    public const string ExtAuthzName = "envoy.filters.http.ext_authz";

    /// <summary>A sidecar's inbound HTTP listener: a policy's port is the app port, which the inbound listener stands for.</summary>
    public static IEnumerable<HttpFilter> Inbound(ProxyView proxy, PushContext push) => Http(proxy, push, InboundPort(proxy));

    /// <summary>A gateway's listeners: ports are the gateway's own.</summary>
    public static IEnumerable<HttpFilter> Gateway(ProxyView proxy, PushContext push) => Http(proxy, push, static p => p);

    public static IEnumerable<HttpFilter> Http(ProxyView proxy, PushContext push, Func<uint, uint> port)
    {
        var policies = Group(push.AuthorizationPoliciesFor(proxy));
        foreach (var (provider, list) in policies.Custom)
        {
            var (rules, _) = AuthorizationBuilder.Build(list.Where(r => !IsDryRunCustom(r)), RBAC.Types.Action.Deny, false, port, push, provider);
            if (rules is null) continue;
            var extAuthz = ExtAuthzTranslator.Build(provider, push, out var error);
            if (extAuthz is null)
            {
                push.Issues[$"AuthorizationPolicy/custom/{provider}"] = $"failed to process CUSTOM action for provider {provider}, denying the requests its policies match: {error}";
                var deny = new RBAC { Action = RBAC.Types.Action.Deny };
                foreach (var (name, policy) in rules.Policies) deny.Policies[name + "-deny-due-to-bad-CUSTOM-action"] = policy;
                yield return Rbac(new HttpRbac { Rules = deny });
                continue;
            }
            yield return Rbac(new HttpRbac { ShadowRules = rules, ShadowRulesStatPrefix = "istio_ext_authz_" });
            yield return new HttpFilter { Name = ExtAuthzName, TypedConfig = Any.Pack(extAuthz) };
        }
        foreach (var (action, list) in policies.Ordered())
        {
            var (rules, shadow) = AuthorizationBuilder.Build(list, action, false, port, push);
            if (rules is null && shadow is null) continue;
            yield return Rbac(new HttpRbac { Rules = rules, ShadowRules = shadow, ShadowRulesStatPrefix = ShadowPrefix(shadow) });
        }
    }

    /// <summary>For a TCP filter chain (before tcp_proxy); CUSTOM with an HTTP provider does not apply to TCP, as in Istio.</summary>
    public static IEnumerable<Filter> Tcp(ProxyView proxy, PushContext push, Func<uint, uint> port)
    {
        var policies = Group(push.AuthorizationPoliciesFor(proxy));
        foreach (var (action, list) in policies.Ordered())
        {
            var (rules, shadow) = AuthorizationBuilder.Build(list, action, true, port, push);
            if (rules is null && shadow is null) continue;
            var rbac = new NetworkRbac { StatPrefix = "tcp.", Rules = rules, ShadowRules = shadow, ShadowRulesStatPrefix = ShadowPrefix(shadow) };
            yield return new Filter { Name = NetworkRbacName, TypedConfig = Any.Pack(rbac) };
        }
    }

    /// <summary>Policy ports name the app port; the sidecar's inbound listener (what the proxy sees) stands in for it.</summary>
    public static Func<uint, uint> InboundPort(ProxyView proxy) =>
        proxy.AppPort is { } app && proxy.InboundPort is { } inbound ? p => p == (uint)app ? (uint)inbound : p : static p => p;

    private static HttpFilter Rbac(HttpRbac rbac) => new() { Name = HttpRbacName, TypedConfig = Any.Pack(rbac) };

    private static string ShadowPrefix(RBAC? shadow) => shadow?.Action switch
    {
        RBAC.Types.Action.Allow => "istio_dry_run_allow_",
        RBAC.Types.Action.Deny => "istio_dry_run_deny_",
        _ => "",
    };

    /// <summary>Dry-run CUSTOM policies are not enforced and do not call the provider (Istio would still call it).</summary>
    private static bool IsDryRunCustom(Resource resource) =>
        resource.Metadata.Annotations?.TryGetValue(AuthorizationBuilder.DryRunAnnotation, out var value) == true
        && bool.TryParse(value, out var dryRun) && dryRun;

    private static Grouped Group(IEnumerable<(Resource Resource, AuthorizationPolicy Policy)> applying)
    {
        var grouped = new Grouped();
        foreach (var (resource, policy) in applying)
        {
            switch (policy.Action ?? AuthorizationPolicyAction.ALLOW)
            {
                case AuthorizationPolicyAction.CUSTOM:
                    var provider = policy.Provider?.Name ?? "";
                    if (!grouped.Custom.TryGetValue(provider, out var list)) grouped.Custom[provider] = list = [];
                    list.Add(resource);
                    break;
                case AuthorizationPolicyAction.AUDIT: grouped.Audit.Add(resource); break;
                case AuthorizationPolicyAction.DENY: grouped.Deny.Add(resource); break;
                default: grouped.Allow.Add(resource); break;
            }
        }
        return grouped;
    }

    private sealed class Grouped
    {
        public SortedDictionary<string, List<Resource>> Custom { get; } = new(StringComparer.Ordinal);

        public List<Resource> Audit { get; } = [];

        public List<Resource> Deny { get; } = [];

        public List<Resource> Allow { get; } = [];

        public IEnumerable<(RBAC.Types.Action Action, List<Resource> Policies)> Ordered()
        {
            if (Audit.Count > 0) yield return (RBAC.Types.Action.Log, Audit);
            if (Deny.Count > 0) yield return (RBAC.Types.Action.Deny, Deny);
            if (Allow.Count > 0) yield return (RBAC.Types.Action.Allow, Allow);
        }
    }
}
