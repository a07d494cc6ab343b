using System.Security.Cryptography;

namespace Rigging.Proxy.Http.Filters.Jwt;

/// <summary>
/// The signature algorithms this proxy verifies: RSASSA-PKCS1-v1_5 (RS*), RSASSA-PSS (PS*) and ECDSA (ES*).
/// HMAC (HS*) is refused: a mesh verifies public-key tokens, and refusing it closes the RSA-key-as-HMAC-secret
/// confusion; "none" is refused as Envoy refuses it.
/// </summary>
public static class JwtAlgorithms
{
    public static bool IsSupported(string alg) => Hash(alg) is not null;

    public static bool IsRsa(string alg) => alg.StartsWith("RS", StringComparison.Ordinal) || alg.StartsWith("PS", StringComparison.Ordinal);

    public static bool IsEc(string alg) => alg.StartsWith("ES", StringComparison.Ordinal);

    /// <summary>The curve an ES algorithm requires (RFC 7518 §3.4).</summary>
    public static string? Curve(string alg) => alg switch
    {
        "ES256" => "P-256",
        "ES384" => "P-384",
        "ES512" => "P-521",
        _ => null,
    };

    public static HashAlgorithmName? Hash(string alg) => alg switch
    {
        "RS256" or "PS256" or "ES256" => HashAlgorithmName.SHA256,
        "RS384" or "PS384" or "ES384" => HashAlgorithmName.SHA384,
        "RS512" or "PS512" or "ES512" => HashAlgorithmName.SHA512,
        _ => null,
    };

    public static RSASignaturePadding RsaPadding(string alg) =>
        alg.StartsWith("PS", StringComparison.Ordinal) ? RSASignaturePadding.Pss : RSASignaturePadding.Pkcs1;
}
