using System.Security.Cryptography;

namespace Rigging.Proxy.Http.Filters.Jwt;

/// <summary>One public key of a JWKS, imported once: its id and algorithm (either may be empty) and the RSA or EC key.</summary>
public sealed class JwksKey(string? kid, string? alg, string? curve, RSA? rsa, ECDsa? ec)
{
    public string? KeyId { get; } = kid;

    public string? Algorithm { get; } = alg;

    /// <summary>Verifies <paramref name="data"/> against a JWS signature with this key, or false when the key cannot serve <paramref name="alg"/>.</summary>
    public bool Verify(string alg, ReadOnlySpan<byte> data, ReadOnlySpan<byte> signature)
    {
        if (JwtAlgorithms.Hash(alg) is not { } hash) return false;
        try
        {
            if (rsa is not null && JwtAlgorithms.IsRsa(alg))
                return rsa.VerifyData(data, signature, hash, JwtAlgorithms.RsaPadding(alg));
            if (ec is not null && JwtAlgorithms.IsEc(alg) && string.Equals(curve, JwtAlgorithms.Curve(alg), StringComparison.Ordinal))
                return ec.VerifyData(data, signature, hash, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
        }
        catch (CryptographicException)
        {
            // A signature of the wrong length or shape is simply not valid.
        }
        return false;
    }

    /// <summary>Whether this key's type fits <paramref name="alg"/> at all (RSA for RS/PS, EC on the right curve for ES).</summary>
    public bool Serves(string alg) =>
        (rsa is not null && JwtAlgorithms.IsRsa(alg))
        || (ec is not null && JwtAlgorithms.IsEc(alg) && string.Equals(curve, JwtAlgorithms.Curve(alg), StringComparison.Ordinal));
}
