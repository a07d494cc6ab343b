using System.Buffers;
using System.Collections.Immutable;
using System.Text;

namespace Rigging.Proxy.Http.Filters.Jwt;

/// <summary>
/// Checks one parsed token against one provider in Envoy's order, so the status (and so the reply text) is the one
/// Envoy would give: issuer, then time (nbf, exp with the clock skew, against the injected clock), then audiences,
/// then keys (fetched if need be), then the signature with the keys that match the token's kid and alg.
/// </summary>
public static class JwtAuthenticator
{
    public static async ValueTask<JwtStatus> VerifyAsync(ParsedJwt jwt, JwtProviderModel provider, ImmutableArray<string> audiences, TimeProvider time, CancellationToken cancel)
    {
        if (provider.Issuer.Length > 0 && !string.Equals(jwt.Issuer, provider.Issuer, StringComparison.Ordinal)) return JwtStatus.JwtUnknownIssuer;
        var status = CheckTime(jwt, provider.ClockSkew, time);
        if (status != JwtStatus.Ok) return status;
        if (!JwtProviderModel.AudiencesAllowed(audiences, jwt.Audiences)) return JwtStatus.JwtAudienceNotAllowed;
        var keys = await provider.Keys.KeysAsync(jwt.KeyId, time, cancel).ConfigureAwait(false);
        return keys is null ? provider.Keys.UnavailableStatus : VerifySignature(jwt, keys);
    }

    public static JwtStatus CheckTime(ParsedJwt jwt, TimeSpan skew, TimeProvider time)
    {
        var now = time.GetUtcNow().ToUnixTimeSeconds();
        var slack = (long)skew.TotalSeconds;
        if (jwt.NotBefore is { } nbf && now + slack < nbf) return JwtStatus.JwtNotYetValid;
        if (jwt.ExpiresAt is { } exp && now > exp + slack) return JwtStatus.JwtExpired;
        return JwtStatus.Ok;
    }

    /// <summary>Envoy's key choice: a key with another kid (when both have one) or another alg is skipped; none left is a kid/alg mismatch, all failing is a verification failure.</summary>
    public static JwtStatus VerifySignature(ParsedJwt jwt, JwksKeySet keys)
    {
        var input = jwt.SigningInput;
        var rented = ArrayPool<byte>.Shared.Rent(input.Length);
        try
        {
            // The signing input is base64url text: ASCII, one byte per char.
            var length = Encoding.ASCII.GetBytes(input, rented);
            var data = rented.AsSpan(0, length);
            var matched = false;
            foreach (var key in keys.Keys)
            {
                if (jwt.KeyId is not null && key.KeyId is not null && !string.Equals(jwt.KeyId, key.KeyId, StringComparison.Ordinal)) continue;
                if (key.Algorithm is not null && !string.Equals(key.Algorithm, jwt.Algorithm, StringComparison.Ordinal)) continue;
                if (!key.Serves(jwt.Algorithm)) continue;
                matched = true;
                if (key.Verify(jwt.Algorithm, data, jwt.Signature)) return JwtStatus.Ok;
            }
            return matched ? JwtStatus.JwtVerificationFail : JwtStatus.JwksKidAlgMismatch;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }
}
