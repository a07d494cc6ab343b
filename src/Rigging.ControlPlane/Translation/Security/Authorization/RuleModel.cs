using Envoy.Config.Rbac.V3;
using Rigging.Api.Security;
using A = Rigging.ControlPlane.Translation.Security.Authorization.AuthzAttributes;

namespace Rigging.ControlPlane.Translation.Security.Authorization;

/// <summary>
/// One AuthorizationPolicy rule as Istio models it: one principal list per <c>from</c> and one permission list per
/// <c>to</c> (a single list of the <c>when</c> conditions when absent), each an and of attributes; an attribute is
/// an or of its values, and not(or) of its not-values. Generating an Envoy Policy for a TCP chain drops what is
/// HTTP-only: for ALLOW the rule is refused (it would allow too much), for DENY and AUDIT the attribute is left out
/// (so the rule matches more: stricter).
/// </summary>
internal sealed class RuleModel
{
    private readonly List<List<Attribute>> _principals = [];
    private readonly List<List<Attribute>> _permissions = [];
    private readonly string _namespace;

    private RuleModel(string policyNamespace) => _namespace = policyNamespace;

    public static RuleModel? Create(string policyNamespace, Rule rule, out string? error)
    {
        error = null;
        var model = new RuleModel(policyNamespace);
        List<Attribute> basePrincipal = [], basePermission = [];
        foreach (var when in rule.When ?? [])
        {
            var key = when.Key ?? "";
            if (!A.IsKnownCondition(key))
            {
                error = $"unknown attribute {key}";
                return null;
            }
            Add(A.IsPermission(key) ? basePermission : basePrincipal, key, when.Values, when.NotValues, front: false);
        }
        foreach (var from in rule.From ?? [])
        {
            var merged = new List<Attribute>(basePrincipal);
            if (from?.Source is { } s)
            {
                Add(merged, A.SourceIp, s.IpBlocks, s.NotIpBlocks, front: true);
                Add(merged, A.RemoteIp, s.RemoteIpBlocks, s.NotRemoteIpBlocks, front: true);
                Add(merged, A.SourceNamespace, s.Namespaces, s.NotNamespaces, front: true);
                Add(merged, A.SourceTrustDomain, s.TrustDomains, s.NotTrustDomains, front: true);
                Add(merged, A.SourceServiceAccount, s.ServiceAccounts, s.NotServiceAccounts, front: true);
                Add(merged, A.RequestPrincipal, s.RequestPrincipals, s.NotRequestPrincipals, front: true);
                Add(merged, A.SourcePrincipal, s.Principals, s.NotPrincipals, front: true);
            }
            model._principals.Add(merged);
        }
        if (rule.From is not { Count: > 0 }) model._principals.Add(basePrincipal);
        foreach (var to in rule.To ?? [])
        {
            var merged = new List<Attribute>(basePermission);
            if (to?.Operation is { } o)
            {
                Add(merged, A.DestinationPort, o.Ports, o.NotPorts, front: true);
                Add(merged, A.Path, o.Paths, o.NotPaths, front: true);
                Add(merged, A.Method, o.Methods, o.NotMethods, front: true);
                Add(merged, A.Host, o.Hosts, o.NotHosts, front: true);
            }
            model._permissions.Add(merged);
        }
        if (rule.To is not { Count: > 0 }) model._permissions.Add(basePermission);
        return model;
    }

    /// <param name="port">Maps a policy's port to the port the proxy sees (a sidecar's inbound listener stands for its app port).</param>
    public Policy? Generate(bool forTcp, RBAC.Types.Action action, Func<uint, uint> port, out string? error)
    {
        error = null;
        var policy = new Policy();
        foreach (var list in _permissions)
        {
            var and = new List<Permission>();
            foreach (var attribute in list)
            {
                if (!attribute.AddPermissions(and, forTcp, action, port, out error)) return null;
            }
            if (and.Count == 0) and.Add(new Permission { Any = true });
            policy.Permissions.Add(new Permission { AndRules = new Permission.Types.Set { Rules = { and } } });
        }
        foreach (var list in _principals)
        {
            var and = new List<Principal>();
            foreach (var attribute in list)
            {
                if (!attribute.AddPrincipals(and, forTcp, action, _namespace, out error)) return null;
            }
            if (and.Count == 0) and.Add(new Principal { Any = true });
            policy.Principals.Add(new Principal { AndIds = new Principal.Types.Set { Ids = { and } } });
        }
        return policy;
    }

    private static void Add(List<Attribute> list, string key, IReadOnlyList<string>? values, IReadOnlyList<string>? notValues, bool front)
    {
        if (values is not { Count: > 0 } && notValues is not { Count: > 0 }) return;
        var attribute = new Attribute(key, values ?? [], notValues ?? []);
        if (front) list.Insert(0, attribute);
        else list.Add(attribute);
    }

    private sealed record Attribute(string Key, IReadOnlyList<string> Values, IReadOnlyList<string> NotValues)
    {
        /// <summary>Only an ALLOW rule fails on an attribute it cannot express; other actions leave it out.</summary>
        private static bool Fails(RBAC.Types.Action action, string? error) => error is not null && action == RBAC.Types.Action.Allow;

        public bool AddPermissions(List<Permission> and, bool forTcp, RBAC.Types.Action action, Func<uint, uint> port, out string? error)
        {
            error = null;
            foreach (var (values, negate) in new[] { (Values, false), (NotValues, true) })
            {
                var or = new Permission.Types.Set();
                foreach (var value in values)
                {
                    var p = A.Permission(Key, value, forTcp, port, out var e);
                    if (Fails(action, e))
                    {
                        error = e;
                        return false;
                    }
                    if (p is not null) or.Rules.Add(p);
                }
                if (or.Rules.Count == 0) continue;
                var any = new Permission { OrRules = or };
                and.Add(negate ? new Permission { NotRule = any } : any);
            }
            return true;
        }

        public bool AddPrincipals(List<Principal> and, bool forTcp, RBAC.Types.Action action, string policyNamespace, out string? error)
        {
            error = null;
            foreach (var (values, negate) in new[] { (Values, false), (NotValues, true) })
            {
                if (values.Count == 0) continue;
                Principal? generated;
                if (A.IsExtended(Key))
                {
                    generated = A.Extended(Key, values, forTcp, out var e);
                    if (Fails(action, e))
                    {
                        error = e;
                        return false;
                    }
                }
                else
                {
                    var or = new Principal.Types.Set();
                    foreach (var value in values)
                    {
                        var p = A.Principal(Key, value, policyNamespace, forTcp, out var e);
                        if (Fails(action, e))
                        {
                            error = e;
                            return false;
                        }
                        if (p is not null) or.Ids.Add(p);
                    }
                    generated = or.Ids.Count == 0 ? null : new Principal { OrIds = or };
                }
                if (generated is not null) and.Add(negate ? new Principal { NotId = generated } : generated);
            }
            return true;
        }
    }
}
