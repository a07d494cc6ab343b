using System.Collections.Immutable;
using System.Net.Security;
using System.Security.Cryptography;
using Envoy.Config.Core.V3;
using Envoy.Extensions.TransportSockets.Tls.V3;
using Google.Protobuf;
using Rigging.Proxy.Config;
using Rigging.Xds.Protos;

namespace Rigging.Proxy.Security.Tls;

/// <summary>
/// transport_socket (envoy.transport_sockets.tls / raw_buffer) → TLS models. SDS references are kept by name and
/// resolved per handshake; inline certificates are parsed here. Errors name the resource and field.
/// </summary>
internal static class TlsContextCompiler
{
    public const string TlsName = "envoy.transport_sockets.tls";
    public const string RawBufferName = "envoy.transport_sockets.raw_buffer";

    /// <summary>A filter chain's transport socket: null for plaintext.</summary>
    public static DownstreamTlsModel? Downstream(TransportSocket? socket, string where)
    {
        if (!IsTls(socket, where)) return null;
        var context = Unpack<DownstreamTlsContext>(socket!, $"{where}.transport_socket");
        var common = context.CommonTlsContext ?? new CommonTlsContext();
        var certificates = Certificates(common, $"{where}.transport_socket.common_tls_context");
        if (certificates.IsEmpty) throw new ConfigException($"{where}.transport_socket: a DownstreamTlsContext needs tls_certificates or tls_certificate_sds_secret_configs");
        var validation = Validation(common, $"{where}.transport_socket.common_tls_context");
        var alpn = new List<SslApplicationProtocol>(common.AlpnProtocols.Count);
        foreach (var protocol in common.AlpnProtocols)
        {
            if (!string.IsNullOrEmpty(protocol)) alpn.Add(new SslApplicationProtocol(protocol));
        }
        return new DownstreamTlsModel(certificates, validation, context.RequireClientCertificate ?? false, alpn);
    }

    /// <summary>A cluster's (or a transport_socket_match's) transport socket: null for plaintext.</summary>
    public static UpstreamTlsModel? Upstream(TransportSocket? socket, string where)
    {
        if (!IsTls(socket, where)) return null;
        var context = Unpack<UpstreamTlsContext>(socket!, $"{where}.transport_socket");
        var common = context.CommonTlsContext ?? new CommonTlsContext();
        var certificates = Certificates(common, $"{where}.transport_socket.common_tls_context");
        var validation = Validation(common, $"{where}.transport_socket.common_tls_context");
        var key = Convert.ToHexString(SHA256.HashData(socket!.ToByteArray()));
        return new UpstreamTlsModel(key, string.IsNullOrEmpty(context.Sni) ? null : context.Sni,
            certificates.IsEmpty ? null : certificates[0], validation,
            // h2 only when listed; http/1.1 whenever ALPN is configured at all (Istio lists istio-peer-exchange and
            // istio for HTTP/1.1 clusters: an HTTP/1.1 connection then says so instead of offering names it cannot speak).
            common.AlpnProtocols.Contains("h2"), common.AlpnProtocols.Count > 0, common.AlpnProtocols.Contains("istio"));
    }

    /// <summary>The SDS names a transport socket refers to (for the proxy's SDS subscription).</summary>
    public static void CollectSecretNames(CertificateValidationModel? validation, IEnumerable<SecretSource> certificates, ISet<string> names)
    {
        foreach (var source in certificates)
        {
            if (source.SdsName is { } name) names.Add(name);
        }
        if (validation?.TrustedCa?.SdsName is { } ca) names.Add(ca);
    }

    private static bool IsTls(TransportSocket? socket, string where)
    {
        if (socket is null) return false;
        var type = socket.TypedConfig?.TypeUrl ?? "";
        if (socket.Name == RawBufferName || type.EndsWith(".RawBuffer", StringComparison.Ordinal)) return false;
        if (socket.Name == TlsName || type.EndsWith(".DownstreamTlsContext", StringComparison.Ordinal) || type.EndsWith(".UpstreamTlsContext", StringComparison.Ordinal)) return true;
        throw new ConfigException($"{where}.transport_socket: {socket.Name} is not supported (use {TlsName} or {RawBufferName})");
    }

    private static T Unpack<T>(TransportSocket socket, string where) where T : class, IMessage<T>, new() =>
        socket.TypedConfig is { } any && AnyPayload.TryUnpack<T>(any, out var value)
            ? value
            : throw new ConfigException($"{where}: typed_config must be a {AnyPayload.NameOf<T>()}");

    private static ImmutableArray<SecretSource> Certificates(CommonTlsContext common, string where)
    {
        var sources = ImmutableArray.CreateBuilder<SecretSource>();
        for (var i = 0; i < common.TlsCertificates.Count; i++)
        {
            sources.Add(new SecretSource(null, SecretCompiler.Certificate(common.TlsCertificates[i], $"{where}.tls_certificates[{i}]")));
        }
        for (var i = 0; i < common.TlsCertificateSdsSecretConfigs.Count; i++)
        {
            sources.Add(Sds(common.TlsCertificateSdsSecretConfigs[i], $"{where}.tls_certificate_sds_secret_configs[{i}]"));
        }
        return sources.ToImmutable();
    }

    private static CertificateValidationModel? Validation(CommonTlsContext common, string where) => common.ValidationContextTypeCase switch
    {
        CommonTlsContext.ValidationContextTypeOneofCase.ValidationContext =>
            Validation(common.ValidationContext, InlineCa(common.ValidationContext, $"{where}.validation_context"), $"{where}.validation_context"),
        CommonTlsContext.ValidationContextTypeOneofCase.ValidationContextSdsSecretConfig =>
            Validation(null, Sds(common.ValidationContextSdsSecretConfig, $"{where}.validation_context_sds_secret_config"), where),
        CommonTlsContext.ValidationContextTypeOneofCase.CombinedValidationContext => Combined(common.CombinedValidationContext, $"{where}.combined_validation_context"),
        _ => null,
    };

    private static CertificateValidationModel Combined(CommonTlsContext.Types.CombinedCertificateValidationContext combined, string where)
    {
        // The SDS secret supplies the roots; the default context supplies matchers (Envoy merges the two).
        var ca = combined.ValidationContextSdsSecretConfig is { } sds
            ? Sds(sds, $"{where}.validation_context_sds_secret_config")
            : InlineCa(combined.DefaultValidationContext, $"{where}.default_validation_context");
        return Validation(combined.DefaultValidationContext, ca, $"{where}.default_validation_context");
    }

    private static CertificateValidationModel Validation(CertificateValidationContext? context, SecretSource? ca, string where)
    {
        var matchers = ImmutableArray.CreateBuilder<SanMatcherModel>();
        if (context is not null)
        {
            for (var i = 0; i < context.MatchTypedSubjectAltNames.Count; i++)
            {
                var typed = context.MatchTypedSubjectAltNames[i];
                var type = typed.SanType switch
                {
                    SubjectAltNameMatcher.Types.SanType.Uri => SanType.Uri,
                    SubjectAltNameMatcher.Types.SanType.Dns => SanType.Dns,
                    SubjectAltNameMatcher.Types.SanType.Email => SanType.Email,
                    SubjectAltNameMatcher.Types.SanType.IpAddress => SanType.IpAddress,
                    var other => throw new ConfigException($"{where}.match_typed_subject_alt_names[{i}].san_type: {other} is not supported (URI, DNS, EMAIL or IP_ADDRESS)"),
                };
                if (typed.Matcher is null) throw new ConfigException($"{where}.match_typed_subject_alt_names[{i}].matcher is required");
                matchers.Add(new SanMatcherModel(type, RouteCompiler.String(typed.Matcher, $"{where}.match_typed_subject_alt_names[{i}].matcher")));
            }
            for (var i = 0; i < context.MatchSubjectAltNames.Count; i++)
            {
                matchers.Add(new SanMatcherModel(SanType.Any, RouteCompiler.String(context.MatchSubjectAltNames[i], $"{where}.match_subject_alt_names[{i}]")));
            }
        }
        var acceptUntrusted = context?.TrustChainVerification == CertificateValidationContext.Types.TrustChainVerification.AcceptUntrusted;
        return new CertificateValidationModel(ca, matchers.ToImmutable(), acceptUntrusted);
    }

    private static SecretSource? InlineCa(CertificateValidationContext? context, string where) =>
        context?.TrustedCa is { } ca ? new SecretSource(null, SecretCompiler.Trust(ca, $"{where}.trusted_ca")) : null;

    private static SecretSource Sds(SdsSecretConfig config, string where) =>
        string.IsNullOrEmpty(config.Name) ? throw new ConfigException($"{where}.name is required") : new SecretSource(config.Name, null);
}
