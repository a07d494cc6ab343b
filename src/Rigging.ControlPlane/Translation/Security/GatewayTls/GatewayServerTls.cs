using Envoy.Extensions.TransportSockets.Tls.V3;
using Google.Protobuf;
using Rigging.Api.Model;
using Rigging.ControlPlane.Config.Secrets;
using Rigging.ControlPlane.Translation.Security.Mtls;

namespace Rigging.ControlPlane.Translation.Security.GatewayTls;

/// <summary>
/// A Gateway server's TLS (Istio's BuildListenerTLSContext for gateways): ALPN h2/http1.1 (a TCP server terminating
/// ISTIO_MUTUAL offers Istio's TCP list with istio-peer-exchange instead); a client certificate
/// required for MUTUAL and ISTIO_MUTUAL; the certificate from credentialName over SDS ("kubernetes://NAME", its CA
/// "kubernetes://NAME-cacert"), from serverCertificate/privateKey/caCertificates files on the gateway's machine,
/// or (ISTIO_MUTUAL) the workload's own "default"/"ROOTCA".
/// </summary>
internal static class GatewayServerTls
{
    /// <summary>The context, plus the SDS Secrets it needs from this push; null (with a reason) when it cannot be served.</summary>
    public static (DownstreamTlsContext? Context, List<Secret> Secrets, string? Problem) Build(ServerTlsSettings tls, CredentialSet credentials, bool tcp = false)
    {
        var mutual = tls.Mode is ServerTlsMode.MUTUAL or ServerTlsMode.ISTIO_MUTUAL;
        var verifyClients = mutual || tls.Mode == ServerTlsMode.OPTIONAL_MUTUAL;
        var common = new CommonTlsContext();
        common.AlpnProtocols.AddRange(tcp && tls.Mode == ServerTlsMode.ISTIO_MUTUAL ? TlsContexts.TcpAlpn : TlsContexts.HttpAlpn);
        var context = new DownstreamTlsContext { CommonTlsContext = common, RequireClientCertificate = mutual };
        var secrets = new List<Secret>();
        var sans = tls.SubjectAltNames ?? [];

        if (tls.Mode == ServerTlsMode.ISTIO_MUTUAL)
        {
            common.TlsCertificateSdsSecretConfigs.Add(TlsContexts.Sds(TlsNames.DefaultCertificate));
            common.CombinedValidationContext = new CommonTlsContext.Types.CombinedCertificateValidationContext
            {
                DefaultValidationContext = TlsContexts.Validation(sans),
                ValidationContextSdsSecretConfig = TlsContexts.Sds(TlsNames.RootCa),
            };
            return (context, secrets, null);
        }

        var credentialName = tls.CredentialName is { Length: > 0 } single ? single : tls.CredentialNames?.FirstOrDefault(n => n is { Length: > 0 });
        if (credentialName is not null)
        {
            if (credentials.Find(credentialName) is not { HasKeyPair: true } credential)
                return (null, secrets, $"credentialName {credentialName}: no secrets/{credentialName}/tls.crt and tls.key in the config directory");
            common.TlsCertificateSdsSecretConfigs.Add(TlsContexts.Sds(TlsNames.CredentialSecret(credentialName)));
            secrets.Add(KeyPairSecret(TlsNames.CredentialSecret(credentialName), credential));
            if (verifyClients)
            {
                var caName = tls.CaCertCredentialName is { Length: > 0 } explicitCa ? explicitCa : credentialName;
                var ca = tls.CaCertCredentialName is { Length: > 0 } ? credentials.Find(caName)?.CaCertificates : credentials.FindCa(caName);
                if (ca is null) return (null, secrets, $"credentialName {caName}: MUTUAL needs a CA (ca.crt in secrets/{caName} or secrets/{caName}-cacert)");
                var sdsName = tls.CaCertCredentialName is { Length: > 0 } ? TlsNames.CredentialSecret(caName) : TlsNames.CredentialCaSecret(caName);
                common.CombinedValidationContext = new CommonTlsContext.Types.CombinedCertificateValidationContext
                {
                    DefaultValidationContext = TlsContexts.Validation(sans),
                    ValidationContextSdsSecretConfig = TlsContexts.Sds(sdsName),
                };
                secrets.Add(CaSecret(sdsName, ca));
            }
            return (context, secrets, null);
        }

        if (tls.ServerCertificate is not { Length: > 0 } cert || tls.PrivateKey is not { Length: > 0 } key)
            return (null, secrets, "tls needs credentialName or serverCertificate and privateKey");
        common.TlsCertificates.Add(new TlsCertificate { CertificateChain = TlsContexts.File(cert), PrivateKey = TlsContexts.File(key) });
        if (verifyClients)
        {
            if (tls.CaCertificates is not { Length: > 0 } caFile) return (null, secrets, "MUTUAL needs caCertificates");
            var validation = TlsContexts.Validation(sans);
            validation.TrustedCa = TlsContexts.File(caFile);
            common.ValidationContext = validation;
        }
        return (context, secrets, null);
    }

    private static Secret KeyPairSecret(string name, Credential credential) => new()
    {
        Name = name,
        TlsCertificate = new TlsCertificate
        {
            CertificateChain = new Envoy.Config.Core.V3.DataSource { InlineBytes = ByteString.CopyFromUtf8(credential.CertificateChain) },
            PrivateKey = new Envoy.Config.Core.V3.DataSource { InlineBytes = ByteString.CopyFromUtf8(credential.PrivateKey) },
        },
    };

    private static Secret CaSecret(string name, string ca) => new()
    {
        Name = name,
        ValidationContext = new CertificateValidationContext { TrustedCa = new Envoy.Config.Core.V3.DataSource { InlineBytes = ByteString.CopyFromUtf8(ca) } },
    };
}
