using System.Security.Cryptography;
using Microsoft.IdentityModel.Tokens;

namespace Rigging.Proxy.Http.Filters.Jwt;

/// <summary>
/// A parsed JSON Web Key Set (RFC 7517): its RSA and EC public keys, imported once and shared by every request.
/// Keys this proxy cannot use (oct, OKP, "use": "enc", bad parameters) are skipped, as Envoy skips them.
/// </summary>
public sealed class JwksKeySet
{
    /// <summary>Largest JWKS document accepted (inline or fetched).</summary>
    public const int MaxDocumentLength = 1024 * 1024;

    private JwksKeySet(IReadOnlyList<JwksKey> keys) => Keys = keys;

    public IReadOnlyList<JwksKey> Keys { get; }

    /// <summary>Parses a JWKS document; null when it is not one or holds no usable key.</summary>
    public static JwksKeySet? Parse(string json)
    {
        if (string.IsNullOrWhiteSpace(json) || json.Length > MaxDocumentLength) return null;
        JsonWebKeySet set;
        try
        {
            set = new JsonWebKeySet(json);
        }
        catch (Exception e) when (e is ArgumentException or System.Text.Json.JsonException or FormatException or InvalidOperationException)
        {
            return null;
        }
        var keys = new List<JwksKey>(set.Keys.Count);
        foreach (var key in set.Keys)
        {
            if (string.Equals(key.Use, "enc", StringComparison.Ordinal)) continue;
            if (Import(key) is { } imported) keys.Add(imported);
        }
        return keys.Count == 0 ? null : new JwksKeySet(keys);
    }

    /// <summary>True when some key carries <paramref name="kid"/> (or none is needed).</summary>
    public bool HasKeyId(string? kid)
    {
        if (kid is null) return true;
        foreach (var key in Keys)
        {
            if (string.Equals(key.KeyId, kid, StringComparison.Ordinal)) return true;
        }
        return false;
    }

    private static JwksKey? Import(JsonWebKey key)
    {
        var kid = string.IsNullOrEmpty(key.Kid) ? null : key.Kid;
        var alg = string.IsNullOrEmpty(key.Alg) ? null : key.Alg;
        try
        {
            if (key.Kty == JsonWebAlgorithmsKeyTypes.RSA && !string.IsNullOrEmpty(key.N) && !string.IsNullOrEmpty(key.E))
            {
                if (alg is not null && !JwtAlgorithms.IsRsa(alg)) return null;
                var rsa = RSA.Create();
                rsa.ImportParameters(new RSAParameters { Modulus = Base64UrlEncoder.DecodeBytes(key.N), Exponent = Base64UrlEncoder.DecodeBytes(key.E) });
                return new JwksKey(kid, alg, null, rsa, null);
            }
            if (key.Kty == JsonWebAlgorithmsKeyTypes.EllipticCurve && !string.IsNullOrEmpty(key.X) && !string.IsNullOrEmpty(key.Y))
            {
                var curve = key.Crv switch
                {
                    "P-256" => ECCurve.NamedCurves.nistP256,
                    "P-384" => ECCurve.NamedCurves.nistP384,
                    "P-521" => ECCurve.NamedCurves.nistP521,
                    _ => (ECCurve?)null,
                };
                if (curve is null || (alg is not null && JwtAlgorithms.Curve(alg) != key.Crv)) return null;
                var ec = ECDsa.Create(new ECParameters
                {
                    Curve = curve.Value,
                    Q = new ECPoint { X = Base64UrlEncoder.DecodeBytes(key.X), Y = Base64UrlEncoder.DecodeBytes(key.Y) },
                });
                return new JwksKey(kid, alg, key.Crv, null, ec);
            }
        }
        catch (Exception e) when (e is CryptographicException or FormatException or ArgumentException)
        {
            // A key with bad parameters is skipped; the others still serve.
        }
        return null;
    }
}
