using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Server.Kestrel.Core.Features;
using Microsoft.AspNetCore.Http.Features;
using Rigging.Proxy.Telemetry;

namespace Rigging.Proxy.Security.Tls;

/// <summary>
/// Terminates TLS on a downstream connection whose filter chain has a DownstreamTlsContext: the server certificate
/// is looked up per handshake (rotation needs no restart), a client certificate is checked against the trusted
/// roots and SAN matchers, and on success the connection's transport becomes the decrypted pipe and its peer
/// identity is known. Any failure (garbage, refused certificate, missing secret, timeout) is counted and yields
/// null: the caller closes the connection.
/// </summary>
internal static class DownstreamTlsTerminator
{
    /// <summary>
    /// The chain's ALPN list when the client offered one of its names, else none: like Envoy (BoringSSL), a
    /// handshake without a common protocol goes on without ALPN instead of failing, so a mesh TCP client that
    /// offers only "istio" still connects to a chain listing h2 and http/1.1.
    /// </summary>
    private static List<SslApplicationProtocol>? Negotiable(List<SslApplicationProtocol> configured, IReadOnlyList<string>? offered)
    {
        if (configured.Count == 0) return null;
        if (offered is null) return configured;
        foreach (var protocol in configured)
        {
            foreach (var name in offered)
            {
                if (protocol.ToString() == name) return configured;
            }
        }
        return null;
    }

    /// <param name="offered">The ALPN names of the client's ClientHello (read by the sniffer); null when it was not read.</param>
    public static async Task<SslDuplexPipe?> TerminateAsync(ConnectionContext connection, DownstreamTlsModel tls, IReadOnlyList<string>? offered,
        string statPrefix, SecretStore secrets, ProxyStats stats, TimeProvider time, TimeSpan timeout)
    {
        var secret = tls.CurrentCertificate(secrets);
        if (secret?.Certificate is null)
        {
            stats.Increment(statPrefix, TlsStatNames.NoCertificate);
            stats.Increment(statPrefix, TlsStatNames.ConnectionError);
            return null;
        }
        var verification = new Verification(tls, secrets, time);
        var options = new SslServerAuthenticationOptions
        {
            ServerCertificateContext = CertificateContexts.For(secret),
            ClientCertificateRequired = tls.Validation is not null || tls.RequireClientCertificate,
            ApplicationProtocols = Negotiable(tls.ApplicationProtocols, offered),
            CertificateRevocationCheckMode = X509RevocationMode.NoCheck,
            RemoteCertificateValidationCallback = verification.Check,
        };
        var ssl = new SslStream(new DuplexPipeStream(connection.Transport), leaveInnerStreamOpen: true);
        using var deadline = new CancellationTokenSource(timeout);
        try
        {
            await ssl.AuthenticateAsServerAsync(options, deadline.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is AuthenticationException or IOException or OperationCanceledException or InvalidOperationException)
        {
            stats.Increment(statPrefix, TlsStatNames.ConnectionError);
            if (verification.Outcome != TlsVerifyOutcome.Accepted) stats.Increment(statPrefix, TlsStatNames.ForOutcome(verification.Outcome));
            await ssl.DisposeAsync().ConfigureAwait(false);
            return null;
        }
        stats.Increment(statPrefix, TlsStatNames.Handshake);
        var peer = verification.Peer;
        var feature = new TlsConnectionFeature(secret.Certificate, peer, verification.PresentedChain, ssl.NegotiatedApplicationProtocol.Protocol);
        connection.Features.Set<ITlsConnectionFeature>(feature);
        connection.Features.Set<ITlsApplicationProtocolFeature>(feature);
        connection.Features.Set(feature);
        if (peer is not null)
        {
            var uris = SubjectAltNames.Of(peer).Uris;
            connection.Features.Set(new PeerIdentity(uris.Count > 0 ? uris[0] : null, peer));
        }
        var pipe = new SslDuplexPipe(ssl);
        connection.Transport = pipe;
        return pipe;
    }

    /// <summary>The per-handshake validation callback and what it found.</summary>
    private sealed class Verification(DownstreamTlsModel tls, SecretStore secrets, TimeProvider time)
    {
        public TlsVerifyOutcome Outcome { get; private set; }

        public X509Certificate2? Peer { get; private set; }

        public X509Certificate2Collection PresentedChain { get; } = [];

        public bool Check(object sender, X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors)
        {
            if (certificate is not X509Certificate2 leaf)
            {
                if (!tls.RequireClientCertificate) return true;
                Outcome = TlsVerifyOutcome.NoCertificate;
                return false;
            }
            if (chain is not null)
            {
                foreach (var extra in chain.ChainPolicy.ExtraStore)
                {
                    if (!extra.RawDataMemory.Span.SequenceEqual(leaf.RawDataMemory.Span)) PresentedChain.Add(extra);
                }
            }
            Outcome = tls.Validation?.Verify(leaf, PresentedChain, secrets, time) ?? TlsVerifyOutcome.Accepted;
            if (Outcome != TlsVerifyOutcome.Accepted) return false;
            Peer = leaf;
            return true;
        }
    }
}
