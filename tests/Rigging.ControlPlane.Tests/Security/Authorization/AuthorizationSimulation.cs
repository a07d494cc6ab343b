using System.Collections.Immutable;
using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Rigging.Api.Loading;
using Rigging.ControlPlane.Model;
using Rigging.ControlPlane.Registry;
using Rigging.ControlPlane.Translation;
using Rigging.Proxy.Config;
using Rigging.Proxy.Http.Filters;
using Rigging.Proxy.Http.Filters.ExtAuthz;
using Rigging.Proxy.Http.Filters.Rbac;
using Rigging.Proxy.Listeners;
using Rigging.Proxy.Security;
using Rigging.Xds.Cache;

namespace Rigging.ControlPlane.Tests.Security.Authorization;

/// <summary>
/// Policy simulation: AuthorizationPolicy YAML → the translated xDS of a workload's sidecar (httpbin in namespace
/// foo, app port 8000, inbound listener 15006) → compiled by the proxy's own compiler → a described request run
/// through the inbound listener's own compiled authorization filters, in order. No second RBAC implementation.
/// </summary>
internal sealed class AuthorizationSimulation
{
    public const int AppPort = 8000;
    public const int InboundPort = 15006;

    private readonly ImmutableArray<HttpFilterConfig> _filters;
    private readonly Rigging.Proxy.Routing.RouteTable _routes;

    private AuthorizationSimulation(PushContext push, ImmutableArray<HttpFilterConfig> filters, Rigging.Proxy.Routing.RouteTable routes)
    {
        Push = push;
        _filters = filters;
        _routes = routes;
    }

    public PushContext Push { get; }

    public IEnumerable<string> FilterNames => _filters.Select(f => f.Name);

    public static ProxyView Httpbin { get; } = new()
    {
        NodeId = "sidecar~10.0.0.5~httpbin-1.foo~foo.svc.cluster.local",
        Kind = ProxyKind.Sidecar,
        Namespace = "foo",
        Workload = "httpbin",
        Labels = ImmutableDictionary<string, string>.Empty.Add("app", "httpbin").Add("version", "v1"),
        ServiceAccount = "httpbin",
        Address = "10.0.0.5",
        InboundPort = InboundPort,
        AppPort = AppPort,
        OutboundPort = 15001,
    };

    public static AuthorizationSimulation Load(string yaml, MeshSettings? mesh = null)
    {
        var loaded = ConfigLoader.LoadText("policy.yaml", yaml);
        if (loaded.HasErrors) throw new InvalidOperationException(string.Join('\n', loaded.Diagnostics));
        var push = new PushContext(loaded.Resources, ServiceDiscovery.Services(loaded.Resources), ServiceDiscovery.Instances(loaded.Resources), mesh);
        var snapshot = Snapshot.Create(ProxyGenerator.Generate(Httpbin, push));
        var resources = XdsResources.Empty;
        foreach (var type in snapshot.TypeUrls)
        {
            var set = snapshot.Get(type);
            resources = resources.With(type, set.Version, [.. set.Resources.Values.Select(r => r.Message)]);
        }
        var compiled = SnapshotCompiler.Compile(resources);
        var inbound = compiled.Listeners["virtualInbound"];
        var hcm = (HttpConnectionManagerModel)inbound.Chains[0].Filter;
        return new AuthorizationSimulation(push, hcm.Filters, compiled.Routes[hcm.RouteConfigName!]);
    }

    /// <summary>Runs the request through the filters; ext_authz is not called, only whether it would be (Custom).</summary>
    public async Task<Verdict> CheckAsync(Request request)
    {
        var context = request.ToContext();
        var route = _routes.FindVirtualHost(context.Request.Host.Value ?? "")!.Match(context.Request)!;
        var filtering = new HttpFilterContext(context, route, null, new Random(1), TimeProvider.System);
        foreach (var filter in _filters)
        {
            switch (filter.Filter)
            {
                case RbacFilter rbac:
                    if (await rbac.OnRequestAsync(filtering) is { } answered)
                        return answered.Status == 403 ? Verdict.Denied : throw new InvalidOperationException($"unexpected {answered.Status}");
                    break;
                case ExtAuthzFilter extAuthz:
                    if (extAuthz.Config.EnabledMetadata is not { } gate || gate.Matches(RbacInput.FromHttp(context))) return Verdict.Custom;
                    break;
            }
        }
        return Verdict.Allowed;
    }
}

internal enum Verdict
{
    Allowed,
    Denied,

    /// <summary>ext_authz would ask the provider (which then decides).</summary>
    Custom,
}

/// <summary>A described request to httpbin's sidecar: who sends it (mTLS identity, address, JWT) and what it asks.</summary>
internal sealed record Request
{
    public string Method { get; init; } = "GET";

    public string Path { get; init; } = "/";

    public string Host { get; init; } = "httpbin.foo.svc.cluster.local";

    /// <summary>The port the caller addressed (the app port; the sidecar's inbound listener stands for it).</summary>
    public int Port { get; init; } = AuthorizationSimulation.AppPort;

    /// <summary>The caller's SPIFFE id, e.g. "spiffe://cluster.local/ns/bar/sa/sleep"; null for plaintext.</summary>
    public string? Principal { get; init; }

    public string SourceIp { get; init; } = "10.0.0.9";

    public IReadOnlyDictionary<string, string> Headers { get; init; } = new Dictionary<string, string>();

    /// <summary>A verified JWT's claims as JSON (iss and sub required), as the JWT filter would set them.</summary>
    public string? JwtClaims { get; init; }

    public static Request From(string ns, string sa) => new() { Principal = $"spiffe://cluster.local/ns/{ns}/sa/{sa}" };

    public HttpContext ToContext()
    {
        var context = new DefaultHttpContext();
        context.Request.Method = Method;
        var query = Path.IndexOf('?', StringComparison.Ordinal);
        context.Request.Path = query < 0 ? Path : Path[..query];
        if (query >= 0) context.Request.QueryString = new QueryString(Path[query..]);
        context.Request.Host = new HostString(Host);
        foreach (var (name, value) in Headers) context.Request.Headers[name] = value;
        context.Connection.RemoteIpAddress = IPAddress.Parse(SourceIp);
        context.Connection.LocalIpAddress = IPAddress.Parse("10.0.0.5");
        context.Connection.LocalPort = Port == AuthorizationSimulation.AppPort ? AuthorizationSimulation.InboundPort : Port;
        context.Response.Body = new MemoryStream();
        if (Principal is not null) context.Features.Set(new PeerIdentity(Principal, null));
        if (JwtClaims is not null)
        {
            var claims = JsonDocument.Parse(JwtClaims).RootElement.Clone();
            var iss = claims.GetProperty("iss").GetString()!;
            var sub = claims.GetProperty("sub").GetString()!;
            List<string> audiences = !claims.TryGetProperty("aud", out var aud) ? []
                : aud.ValueKind == JsonValueKind.Array ? [.. aud.EnumerateArray().Select(a => a.GetString()!)] : [aud.GetString()!];
            var presenter = claims.TryGetProperty("azp", out var azp) ? azp.GetString() : null;
            context.Features.Set(new RequestPrincipal($"{iss}/{sub}", iss, sub, audiences, presenter, claims));
        }
        return context;
    }
}
