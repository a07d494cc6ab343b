using Rigging.Api.Model;

namespace Rigging.Api.Validation;

/// <summary>TLS settings of a server: a Gateway's server or a Sidecar's ingress listener.</summary>
internal static class ServerTlsRules
{
    public static void Validate(ServerTlsSettings tls, FieldPath path, ValidationContext context)
    {
        var hasCredential = !string.IsNullOrEmpty(tls.CredentialName) || tls.CredentialNames is { Count: > 0 } || tls.TlsCertificates is { Count: > 0 };
        switch (tls.Mode)
        {
            case ServerTlsMode.SIMPLE or ServerTlsMode.MUTUAL or ServerTlsMode.OPTIONAL_MUTUAL when !hasCredential:
                if (string.IsNullOrEmpty(tls.ServerCertificate)) context.Required(path.Child("serverCertificate"), $"{tls.Mode} TLS needs a server certificate (or credentialName)");
                if (string.IsNullOrEmpty(tls.PrivateKey)) context.Required(path.Child("privateKey"), $"{tls.Mode} TLS needs a private key (or credentialName)");
                if (tls.Mode != ServerTlsMode.SIMPLE && string.IsNullOrEmpty(tls.CaCertificates) && string.IsNullOrEmpty(tls.CaCertCredentialName))
                    context.Required(path.Child("caCertificates"), $"{tls.Mode} TLS needs a CA bundle to verify clients (or credentialName)");
                break;
            case ServerTlsMode.ISTIO_MUTUAL when hasCredential || tls.ServerCertificate is not null || tls.PrivateKey is not null || tls.CaCertificates is not null:
                context.Rule(path, "ISTIO_MUTUAL uses the mesh's certificates: remove the certificate, key, CA and credential fields");
                break;
        }
        if (tls.CredentialName is not null && tls.CredentialNames is { Count: > 0 }) context.Rule(path, "only one of credentialName or credentialNames may be set");
        if (tls.CredentialNames is { Count: > 2 }) context.Invalid(path.Child("credentialNames"), tls.CredentialNames.Count, "at most 2 credential names (an RSA and an ECDSA certificate)");
        if (tls.MinProtocolVersion is { } min && tls.MaxProtocolVersion is { } max && min != TlsProtocolVersion.TLS_AUTO && max != TlsProtocolVersion.TLS_AUTO && min > max)
            context.Rule(path, "minProtocolVersion must not be greater than maxProtocolVersion");
        ValueRules.NotEmpty(tls.SubjectAltNames, path.Child("subjectAltNames"), context);
    }
}
