using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Security.Cryptography.X509Certificates;

namespace Rigging.Proxy.Bench;

/// <summary>
/// Proves, once before measuring, that the secured rig hops really are secured, so their figures cannot silently
/// measure plaintext: a request through the client hop succeeds and opens a TLS handshake on the server hop
/// (its ssl.handshake counter rises); the server hop refuses plaintext, answers 403 from RBAC to a certificate
/// the CA signed for another identity, and to the right identity with a method or path the policy does not allow.
/// </summary>
internal static class SecurityCheck
{
    private static readonly TimeSpan SecretsDeadline = TimeSpan.FromSeconds(20);

    /// <returns>The server hop's TLS handshakes so far (reported beside the figures).</returns>
    public static async Task<long> RigAsync(string clientUrl, int serverPort, int serverAdminPort, BenchCertificates certificates)
    {
        // The proxies ask for their SDS secrets once the config names them: wait for the first good answer.
        using (var first = new HttpClient(new SocketsHttpHandler { UseProxy = false }) { Timeout = TimeSpan.FromSeconds(5) })
        {
            var clock = Stopwatch.StartNew();
            var last = "";
            while (true)
            {
                try
                {
                    using var response = await first.GetAsync(clientUrl);
                    last = $"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}";
                    if (response.StatusCode == HttpStatusCode.OK) break;
                }
                catch (HttpRequestException e)
                {
                    last = e.Message;
                }
                if (clock.Elapsed > SecretsDeadline) throw Fail($"no 200 through the mTLS hops within {SecretsDeadline.TotalSeconds:F0} s (last: {last})");
                await Task.Delay(200);
            }
        }

        var before = await HandshakesAsync(serverAdminPort);
        using (var fresh = new HttpClient(new SocketsHttpHandler { UseProxy = false }))
        {
            // A new client connection makes the client hop pick a pooled upstream connection or open one; a
            // request on a path outside the policy must come back 403 through TLS either way.
            await ExpectAsync(fresh, HttpMethod.Get, clientUrl, HttpStatusCode.OK, "the allowed identity through the client hop");
            await ExpectAsync(fresh, HttpMethod.Get, new Uri(new Uri(clientUrl), "/elsewhere").ToString(), HttpStatusCode.Forbidden, "a path outside the policy through the client hop");
        }

        var direct = $"https://127.0.0.1:{serverPort.ToString(CultureInfo.InvariantCulture)}{MeshSecurity.AllowedPrefix}1k";
        using (var asClient = MeshClient(certificates.Client, certificates.RootPem))
        {
            await ExpectAsync(asClient, HttpMethod.Get, direct, HttpStatusCode.OK, "the client's certificate, straight to the server hop");
            await ExpectAsync(asClient, HttpMethod.Post, direct, HttpStatusCode.Forbidden, "a method outside the policy");
        }
        using (var asIntruder = MeshClient(certificates.Intruder, certificates.RootPem))
        {
            await ExpectAsync(asIntruder, HttpMethod.Get, direct, HttpStatusCode.Forbidden, "a certificate of the same CA for another identity");
        }
        using (var plaintext = new HttpClient(new SocketsHttpHandler { UseProxy = false }) { Timeout = TimeSpan.FromSeconds(5) })
        {
            try
            {
                using var response = await plaintext.GetAsync($"http://127.0.0.1:{serverPort.ToString(CultureInfo.InvariantCulture)}{MeshSecurity.AllowedPrefix}1k");
                throw Fail($"the server hop answered plaintext with {(int)response.StatusCode}");
            }
            catch (HttpRequestException)
            {
                // Refused: under STRICT a plaintext connection matches no filter chain.
            }
        }

        var after = await HandshakesAsync(serverAdminPort);
        // At least the two direct mTLS clients handshook; the intruder's handshake succeeds too (RBAC refuses it).
        if (after - before < 2) throw Fail($"the server hop's ssl.handshake went {before} → {after}: its chain is not TLS");
        return after;
    }

    public static async Task NginxAsync(string clientUrl, int serverPort, BenchCertificates certificates)
    {
        using (var first = new HttpClient(new SocketsHttpHandler { UseProxy = false }) { Timeout = TimeSpan.FromSeconds(5) })
        {
            await ExpectAsync(first, HttpMethod.Get, clientUrl, HttpStatusCode.OK, "through the nginx TLS hops");
        }
        var port = serverPort.ToString(CultureInfo.InvariantCulture);
        using (var plaintext = new HttpClient(new SocketsHttpHandler { UseProxy = false }) { Timeout = TimeSpan.FromSeconds(5) })
        {
            // nginx answers plain HTTP on a TLS port with 400 ("The plain HTTP request was sent to HTTPS port").
            await ExpectAsync(plaintext, HttpMethod.Get, $"http://127.0.0.1:{port}/", HttpStatusCode.BadRequest, "plaintext to the second nginx");
        }
        using (var anonymous = MeshClient(null, certificates.RootPem))
        {
            // ssl_verify_client on: 400 ("No required SSL certificate was sent").
            await ExpectAsync(anonymous, HttpMethod.Get, $"https://127.0.0.1:{port}/", HttpStatusCode.BadRequest, "TLS without a client certificate to the second nginx");
        }
    }

    /// <summary>The sum of a proxy's ssl.handshake counters, from its admin /stats.</summary>
    public static async Task<long> HandshakesAsync(int adminPort)
    {
        using var admin = new HttpClient();
        var text = await admin.GetStringAsync($"http://127.0.0.1:{adminPort.ToString(CultureInfo.InvariantCulture)}/stats");
        long total = 0;
        foreach (var line in text.Split('\n'))
        {
            if (line.StartsWith("envoy_ssl_handshake{", StringComparison.Ordinal)) total += long.Parse(line[(line.LastIndexOf(' ') + 1)..], CultureInfo.InvariantCulture);
        }
        return total;
    }

    private static async Task ExpectAsync(HttpClient client, HttpMethod method, string url, HttpStatusCode expected, string what)
    {
        using var request = new HttpRequestMessage(method, url);
        using var response = await client.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        if (response.StatusCode != expected) throw Fail($"{what}: {method} {url} answered {(int)response.StatusCode}, expected {(int)expected}");
        if (expected == HttpStatusCode.Forbidden && body != Http.Filters.Rbac.RbacFilter.DeniedBody) throw Fail($"{what}: 403 without RBAC's body (\"{body}\")");
    }

    /// <summary>An HTTPS client presenting <paramref name="identity"/> (none when null) and trusting only the bench root.</summary>
    private static HttpClient MeshClient(WorkloadCertificate? identity, string rootPem)
    {
        var root = X509Certificate2.CreateFromPem(rootPem);
        var handler = new SocketsHttpHandler { UseProxy = false };
        if (identity is not null) handler.SslOptions.ClientCertificates = [identity.ToX509()];
        handler.SslOptions.RemoteCertificateValidationCallback = (_, certificate, _, _) =>
        {
            if (certificate is not X509Certificate2 leaf) return false;
            using var chain = new X509Chain();
            chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
            chain.ChainPolicy.CustomTrustStore.Add(root);
            chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
            return chain.Build(leaf);
        };
        return new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(5) };
    }

    private static InvalidOperationException Fail(string message) => new("security check: " + message);
}
