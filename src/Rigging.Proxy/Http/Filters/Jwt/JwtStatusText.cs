namespace Rigging.Proxy.Http.Filters.Jwt;

/// <summary>The reply body for each <see cref="JwtStatus"/>: Envoy's own strings (jwt_verify_lib status.cc), so clients and tests written against Envoy see the same text.</summary>
public static class JwtStatusText
{
    public static string Of(JwtStatus status) => status switch
    {
        JwtStatus.Ok => "OK",
        JwtStatus.JwtMissed => "Jwt is missing",
        JwtStatus.JwtNotYetValid => "Jwt not yet valid",
        JwtStatus.JwtExpired => "Jwt is expired",
        JwtStatus.JwtBadFormat => "Jwt is not in the form of Header.Payload.Signature with two dots and 3 sections",
        JwtStatus.JwtHeaderParseErrorBadBase64 => "Jwt header is an invalid Base64url encoded",
        JwtStatus.JwtHeaderParseErrorBadJson => "Jwt header is an invalid JSON",
        JwtStatus.JwtHeaderBadAlg => "Jwt header [alg] field is required and must be a string",
        JwtStatus.JwtHeaderNotImplementedAlg => "Jwt header [alg] is not supported",
        JwtStatus.JwtHeaderBadKid => "Jwt header [kid] field is not a string",
        JwtStatus.JwtPayloadParseErrorBadBase64 => "Jwt payload is an invalid Base64url encoded",
        JwtStatus.JwtPayloadParseErrorBadJson => "Jwt payload is an invalid JSON",
        JwtStatus.JwtPayloadParseErrorIssNotString => "Jwt payload [iss] field is not a string",
        JwtStatus.JwtPayloadParseErrorSubNotString => "Jwt payload [sub] field is not a string",
        JwtStatus.JwtPayloadParseErrorNbfNotInteger => "Jwt payload [nbf] field is not an integer",
        JwtStatus.JwtPayloadParseErrorExpNotInteger => "Jwt payload [exp] field is not an integer",
        JwtStatus.JwtPayloadParseErrorAudNotString => "Jwt payload [aud] field is not a string or string list",
        JwtStatus.JwtSignatureParseErrorBadBase64 => "Jwt signature is an invalid Base64url encoded",
        JwtStatus.JwtUnknownIssuer => "Jwt issuer is not configured",
        JwtStatus.JwtAudienceNotAllowed => "Audiences in Jwt are not allowed",
        JwtStatus.JwtVerificationFail => "Jwt verification fails",
        JwtStatus.JwksNoValidKeys => "Jwks doesn't have any valid public key",
        JwtStatus.JwksKidAlgMismatch => "Jwks doesn't have key to match kid or alg from Jwt",
        JwtStatus.JwksFetchFail => "Jwks remote fetch is failed",
        JwtStatus.JwtTooLarge => "Jwt is too large",
        _ => "Jwt verification fails",
    };
}
