using System.Buffers.Text;
using System.Collections.Immutable;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Envoy.Extensions.Filters.Http.JwtAuthn.V3;
using Envoy.Extensions.Filters.Network.HttpConnectionManager.V3;
using Microsoft.AspNetCore.Http;
using Rigging.Api.Loading;
using Rigging.ControlPlane.Model;
using Rigging.ControlPlane.Registry;
using Rigging.ControlPlane.Translation;
using Rigging.ControlPlane.Translation.Security;
using Rigging.Proxy.Config;
using Rigging.Proxy.Http.Filters;
using Rigging.Proxy.Http.Filters.Jwt;
using Rigging.Proxy.Routing;

namespace Rigging.ControlPlane.Tests.Security.Jwt;

/// <summary>
/// RequestAuthentication YAML → the security filters of a workload's sidecar (httpbin in namespace foo) →
/// the jwt_authn filter compiled by the proxy's own compiler → requests run through it in process.
/// </summary>
internal sealed class JwtSimulation
{
    private JwtSimulation(PushContext push, IReadOnlyList<HttpFilter> filters, JwtAuthnFilter? compiled)
    {
        Push = push;
        Filters = filters;
        Compiled = compiled;
    }

    public PushContext Push { get; }

    /// <summary>The translated security filters, in order.</summary>
    public IReadOnlyList<HttpFilter> Filters { get; }

    public JwtAuthnFilter? Compiled { get; }

    public JwtAuthentication Config => Filters[0].TypedConfig.Unpack<JwtAuthentication>();

    public static ProxyView Workload(string ns = "foo", string app = "httpbin") => new()
    {
        NodeId = $"sidecar~10.0.0.5~{app}-1.{ns}~{ns}.svc.cluster.local",
        Kind = ProxyKind.Sidecar,
        Namespace = ns,
        Workload = app,
        Labels = ImmutableDictionary<string, string>.Empty.Add("app", app),
        ServiceAccount = app,
        Address = "10.0.0.5",
        InboundPort = 15006,
        AppPort = 8000,
        OutboundPort = 15001,
    };

    public static JwtSimulation Load(string yaml, ProxyView? proxy = null)
    {
        var loaded = ConfigLoader.LoadText("policy.yaml", yaml);
        if (loaded.HasErrors) throw new InvalidOperationException(string.Join('\n', loaded.Diagnostics));
        var push = new PushContext(loaded.Resources, ServiceDiscovery.Services(loaded.Resources), ServiceDiscovery.Instances(loaded.Resources));
        var filters = PolicyFilters.Inbound(proxy ?? Workload(), push).ToList();
        var jwt = filters.FirstOrDefault(f => f.Name == JwtAuthnCompiler.FilterName);
        var compiled = jwt is null ? null : HttpFilterCompiler.Compile(jwt, "virtualInbound").Filter as JwtAuthnFilter;
        return new JwtSimulation(push, filters, compiled);
    }

    /// <summary>Runs one request through the compiled filter: the status it answers with (null: continues) and the request as it leaves.</summary>
    public async Task<(int? Status, string Body, HttpContext Http)> SendAsync(string? bearer = null, string path = "/", IDictionary<string, string>? headers = null)
    {
        var http = new DefaultHttpContext();
        http.Request.Method = "GET";
        var query = path.IndexOf('?', StringComparison.Ordinal);
        http.Request.Path = query < 0 ? path : path[..query];
        if (query >= 0) http.Request.QueryString = new QueryString(path[query..]);
        http.Request.Host = new HostString("httpbin.foo.svc.cluster.local");
        if (bearer is not null) http.Request.Headers.Authorization = "Bearer " + bearer;
        foreach (var (name, value) in headers ?? new Dictionary<string, string>()) http.Request.Headers[name] = value;
        var body = new MemoryStream();
        http.Response.Body = body;
        var route = new RouteModel("r", new RouteMatcher(PathMatch.ForPrefix("/", false), [], []), new DirectResponseModel(200, null));
        var outcome = await Compiled!.OnRequestAsync(new HttpFilterContext(http, route, null, new Random(1), TimeProvider.System));
        return (outcome?.Status, Encoding.UTF8.GetString(body.ToArray()), http);
    }
}

/// <summary>An RSA signing key made in the test, its JWKS, and RS256 tokens.</summary>
internal sealed class SigningKey(string kid) : IDisposable
{
    private readonly RSA _rsa = RSA.Create(2048);

    public string Jwks()
    {
        var p = _rsa.ExportParameters(false);
        return JsonSerializer.Serialize(new { keys = new[] { new { kty = "RSA", kid, alg = "RS256", n = B64(p.Modulus!), e = B64(p.Exponent!) } } });
    }

    public string Sign(string issuer, string subject = "alice", int expIn = 3600, string? audience = null)
    {
        var exp = TimeProvider.System.GetUtcNow().ToUnixTimeSeconds() + expIn;
        var claims = audience is null
            ? JsonSerializer.SerializeToUtf8Bytes(new { iss = issuer, sub = subject, exp, team = "blue" })
            : JsonSerializer.SerializeToUtf8Bytes(new { iss = issuer, sub = subject, exp, team = "blue", aud = audience });
        var input = $"{B64(JsonSerializer.SerializeToUtf8Bytes(new { alg = "RS256", kid }))}.{B64(claims)}";
        return $"{input}.{B64(_rsa.SignData(Encoding.ASCII.GetBytes(input), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1))}";
    }

    public void Dispose() => _rsa.Dispose();

    private static string B64(byte[] bytes) => Base64Url.EncodeToString(bytes);
}
