using System.Buffers;
using System.Buffers.Text;
using System.Text.Json;

namespace Rigging.Proxy.Http.Filters.Jwt;

/// <summary>
/// Compact JWS → <see cref="ParsedJwt"/>, checking what Envoy's jwt_verify library checks before any key is
/// touched: size, three segments, base64url, JSON objects, the types of alg/kid/iss/sub/aud/exp/nbf. Every
/// failure is a <see cref="JwtStatus"/>, never an exception: tokens are attacker input.
/// </summary>
public static class JwtParser
{
    /// <summary>Longest token accepted (16 KiB): far above real tokens, far below what would make parsing a cost.</summary>
    public const int MaxTokenLength = 16 * 1024;

    private static readonly JsonDocumentOptions Options = new() { MaxDepth = 32 };

    public static JwtStatus TryParse(string token, out ParsedJwt? jwt)
    {
        jwt = null;
        if (token.Length > MaxTokenLength) return JwtStatus.JwtTooLarge;
        var first = token.IndexOf('.', StringComparison.Ordinal);
        var last = token.LastIndexOf('.');
        if (first <= 0 || last == first || token.AsSpan(first + 1, last - first - 1).Contains('.')) return JwtStatus.JwtBadFormat;

        using var header = Decode(token.AsSpan(0, first), out var headerOk);
        if (!headerOk) return JwtStatus.JwtHeaderParseErrorBadBase64;
        if (!TryJson(header, out var headerJson)) return JwtStatus.JwtHeaderParseErrorBadJson;
        using (headerJson)
        {
            var root = headerJson!.RootElement;
            if (!root.TryGetProperty("alg", out var alg) || alg.ValueKind != JsonValueKind.String) return JwtStatus.JwtHeaderBadAlg;
            string? kid = null;
            if (root.TryGetProperty("kid", out var k))
            {
                if (k.ValueKind != JsonValueKind.String) return JwtStatus.JwtHeaderBadKid;
                kid = k.GetString();
            }
            var algorithm = alg.GetString()!;
            if (!JwtAlgorithms.IsSupported(algorithm)) return JwtStatus.JwtHeaderNotImplementedAlg;

            using var payload = Decode(token.AsSpan(first + 1, last - first - 1), out var payloadOk);
            if (!payloadOk) return JwtStatus.JwtPayloadParseErrorBadBase64;
            if (!TryJson(payload, out var payloadJson)) return JwtStatus.JwtPayloadParseErrorBadJson;
            using (payloadJson)
            {
                var status = ReadClaims(payloadJson!.RootElement, out var iss, out var sub, out var aud, out var exp, out var nbf, out var azp);
                if (status != JwtStatus.Ok) return status;
                var signature = DecodeSignature(token.AsSpan(last + 1));
                if (signature is null) return JwtStatus.JwtSignatureParseErrorBadBase64;
                jwt = new ParsedJwt(token, algorithm, kid, iss, sub, aud, exp, nbf, azp, payloadJson.RootElement.Clone(), signature);
                return JwtStatus.Ok;
            }
        }
    }

    private static JwtStatus ReadClaims(JsonElement root, out string? iss, out string? sub, out IReadOnlyList<string> aud, out long? exp, out long? nbf, out string? azp)
    {
        iss = sub = azp = null;
        aud = [];
        exp = nbf = null;
        if (root.TryGetProperty("iss", out var i))
        {
            if (i.ValueKind != JsonValueKind.String) return JwtStatus.JwtPayloadParseErrorIssNotString;
            iss = i.GetString();
        }
        if (root.TryGetProperty("sub", out var s))
        {
            if (s.ValueKind != JsonValueKind.String) return JwtStatus.JwtPayloadParseErrorSubNotString;
            sub = s.GetString();
        }
        if (root.TryGetProperty("azp", out var p) && p.ValueKind == JsonValueKind.String) azp = p.GetString();
        if (root.TryGetProperty("exp", out var e))
        {
            if (!TryTime(e, out var value)) return JwtStatus.JwtPayloadParseErrorExpNotInteger;
            exp = value;
        }
        if (root.TryGetProperty("nbf", out var n))
        {
            if (!TryTime(n, out var value)) return JwtStatus.JwtPayloadParseErrorNbfNotInteger;
            nbf = value;
        }
        if (root.TryGetProperty("aud", out var a))
        {
            if (a.ValueKind == JsonValueKind.String) aud = [a.GetString()!];
            else if (a.ValueKind == JsonValueKind.Array)
            {
                var list = new string[a.GetArrayLength()];
                var index = 0;
                foreach (var item in a.EnumerateArray())
                {
                    if (item.ValueKind != JsonValueKind.String) return JwtStatus.JwtPayloadParseErrorAudNotString;
                    list[index++] = item.GetString()!;
                }
                aud = list;
            }
            else return JwtStatus.JwtPayloadParseErrorAudNotString;
        }
        return JwtStatus.Ok;
    }

    /// <summary>NumericDate: an integer number of seconds (Envoy refuses fractions and strings).</summary>
    private static bool TryTime(JsonElement value, out long seconds)
    {
        seconds = 0;
        return value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out seconds) && seconds >= 0;
    }

    private static bool TryJson(Pooled bytes, out JsonDocument? document)
    {
        document = null;
        try
        {
            document = JsonDocument.Parse(bytes.Memory, Options);
            if (document.RootElement.ValueKind == JsonValueKind.Object) return true;
            document.Dispose();
            document = null;
            return false;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private static Pooled Decode(ReadOnlySpan<char> segment, out bool ok)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(Math.Max(1, Base64Url.GetMaxDecodedLength(segment.Length)));
        ok = TryDecode(segment, buffer, out var written);
        return new Pooled(buffer, ok ? written : 0);
    }

    private static byte[]? DecodeSignature(ReadOnlySpan<char> segment)
    {
        if (segment.IsEmpty) return [];
        var buffer = new byte[Base64Url.GetMaxDecodedLength(segment.Length)];
        if (!TryDecode(segment, buffer, out var written)) return null;
        return written == buffer.Length ? buffer : buffer.AsSpan(0, written).ToArray();
    }

    /// <summary>Base64url without exceptions (the Try* API throws on invalid data): all of it must decode.</summary>
    private static bool TryDecode(ReadOnlySpan<char> segment, Span<byte> into, out int written)
    {
        written = 0;
        if (segment.IsEmpty) return false;
        var status = Base64Url.DecodeFromChars(segment, into, out var consumed, out written);
        return status == OperationStatus.Done && consumed == segment.Length;
    }

    /// <summary>A rented buffer and how much of it holds decoded bytes; returned to the pool on dispose.</summary>
    private readonly struct Pooled(byte[] buffer, int length) : IDisposable
    {
        public ReadOnlyMemory<byte> Memory => buffer.AsMemory(0, length);

        public void Dispose() => ArrayPool<byte>.Shared.Return(buffer);
    }
}
