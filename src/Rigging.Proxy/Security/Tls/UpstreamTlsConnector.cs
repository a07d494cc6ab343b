using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using Rigging.Proxy.Telemetry;

namespace Rigging.Proxy.Security.Tls;

/// <summary>
/// Originates TLS on a new upstream connection: the client certificate is the secret's current one (a rotation
/// applies to the next connection), the server's chain is checked against the configured roots and its SAN against
/// the matchers, and ALPN offers only the protocol the connection will carry. Failures are counted per cluster and
/// surface as <see cref="UpstreamTlsException"/> (the router's 503 UF names it).
/// </summary>
internal static class UpstreamTlsConnector
{
    private const string VerifyFailed = "TLS_error:|268435581:SSL routines:OPENSSL_internal:CERTIFICATE_VERIFY_FAILED:TLS_error_end";

    public static async ValueTask<SslStream> ConnectAsync(
        Stream network, UpstreamTlsModel tls, List<SslApplicationProtocol>? alpn, SecretStore secrets, ProxyStats? stats, string statPrefix, TimeProvider time, CancellationToken cancellation)
    {
        SecretModel? secret = null;
        if (tls.Certificate is not null)
        {
            secret = tls.Certificate.Resolve(secrets);
            if (secret?.Certificate is null)
            {
                stats?.Increment(statPrefix, TlsStatNames.NoCertificate);
                stats?.Increment(statPrefix, TlsStatNames.ConnectionError);
                throw new UpstreamTlsException($"TLS_error:|no client certificate: {tls.Certificate.Describe} is not available yet:TLS_error_end");
            }
        }
        var outcome = TlsVerifyOutcome.Accepted;
        var options = new SslClientAuthenticationOptions
        {
            // Envoy sends SNI only when configured.
            TargetHost = tls.Sni ?? string.Empty,
            ClientCertificateContext = secret is null ? null : CertificateContexts.For(secret),
            ApplicationProtocols = alpn,
            CertificateRevocationCheckMode = X509RevocationMode.NoCheck,
            RemoteCertificateValidationCallback = (_, certificate, chain, _) =>
            {
                if (certificate is not X509Certificate2 leaf)
                {
                    outcome = TlsVerifyOutcome.NoCertificate;
                    return false;
                }
                if (tls.Validation is null) return true;
                var presented = new X509Certificate2Collection();
                if (chain is not null)
                {
                    foreach (var extra in chain.ChainPolicy.ExtraStore) presented.Add(extra);
                }
                outcome = tls.Validation.Verify(leaf, presented, secrets, time);
                return outcome == TlsVerifyOutcome.Accepted;
            },
        };
        var ssl = new SslStream(network, leaveInnerStreamOpen: false);
        try
        {
            await ssl.AuthenticateAsClientAsync(options, cancellation).ConfigureAwait(false);
        }
        catch (Exception e) when (e is AuthenticationException or IOException)
        {
            await ssl.DisposeAsync().ConfigureAwait(false);
            stats?.Increment(statPrefix, TlsStatNames.ConnectionError);
            if (outcome != TlsVerifyOutcome.Accepted)
            {
                stats?.Increment(statPrefix, TlsStatNames.ForOutcome(outcome));
                throw new UpstreamTlsException(VerifyFailed, e);
            }
            throw new UpstreamTlsException($"TLS_error:|{e.Message}:TLS_error_end", e);
        }
        catch
        {
            await ssl.DisposeAsync().ConfigureAwait(false);
            throw;
        }
        stats?.Increment(statPrefix, TlsStatNames.Handshake);
        return ssl;
    }
}
