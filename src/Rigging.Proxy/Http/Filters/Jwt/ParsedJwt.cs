using System.Text.Json;

namespace Rigging.Proxy.Http.Filters.Jwt;

/// <summary>
/// A token split and decoded but not yet trusted: header fields that choose the key, the payload's registered
/// claims, every claim as JSON, the signing input (everything before the last dot) and the signature bytes.
/// </summary>
public sealed record ParsedJwt(
    string Token,
    string Algorithm,
    string? KeyId,
    string? Issuer,
    string? Subject,
    IReadOnlyList<string> Audiences,
    long? ExpiresAt,
    long? NotBefore,
    string? Presenter,
    JsonElement Claims,
    byte[] Signature)
{
    /// <summary>The base64url payload segment, as Envoy forwards it in forward_payload_header.</summary>
    public ReadOnlySpan<char> EncodedPayload
    {
        get
        {
            var first = Token.IndexOf('.', StringComparison.Ordinal);
            var last = Token.LastIndexOf('.');
            return Token.AsSpan(first + 1, last - first - 1);
        }
    }

    /// <summary>header.payload: the bytes the signature covers.</summary>
    public ReadOnlySpan<char> SigningInput => Token.AsSpan(0, Token.LastIndexOf('.'));
}
