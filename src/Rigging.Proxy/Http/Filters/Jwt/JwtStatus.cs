namespace Rigging.Proxy.Http.Filters.Jwt;

/// <summary>
/// Why a JWT was accepted or refused, named as Envoy's jwt_verify library names its statuses; the text each one
/// answers with (the 401/403 body) is in <see cref="JwtStatusText"/>.
/// </summary>
public enum JwtStatus
{
    Ok,
    JwtMissed,
    JwtNotYetValid,
    JwtExpired,
    JwtBadFormat,
    JwtHeaderParseErrorBadBase64,
    JwtHeaderParseErrorBadJson,
    JwtHeaderBadAlg,
    JwtHeaderNotImplementedAlg,
    JwtHeaderBadKid,
    JwtPayloadParseErrorBadBase64,
    JwtPayloadParseErrorBadJson,
    JwtPayloadParseErrorIssNotString,
    JwtPayloadParseErrorSubNotString,
    JwtPayloadParseErrorNbfNotInteger,
    JwtPayloadParseErrorExpNotInteger,
    JwtPayloadParseErrorAudNotString,
    JwtSignatureParseErrorBadBase64,
    JwtUnknownIssuer,
    JwtAudienceNotAllowed,
    JwtVerificationFail,
    JwksNoValidKeys,
    JwksKidAlgMismatch,
    JwksFetchFail,

    /// <summary>Ours: the token is longer than the proxy accepts (Envoy bounds it by its header size limit).</summary>
    JwtTooLarge,
}
