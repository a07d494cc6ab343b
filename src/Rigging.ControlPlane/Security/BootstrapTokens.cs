using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Rigging.ControlPlane.Security;

/// <summary>
/// Issues and checks bootstrap tokens: <c>rig1.&lt;base64url JSON claims&gt;.&lt;base64url HMAC-SHA256&gt;</c>, signed
/// with a 256-bit key kept in the state directory (<c>token-key</c>, mode 0600). Deleting that file and restarting
/// the control plane revokes every token issued so far.
/// </summary>
public sealed class BootstrapTokens
{
    public const string KeyFileName = "token-key";
    public static readonly TimeSpan MaxTtl = TimeSpan.FromDays(365);
    private const string Prefix = "rig1.";
    private const int MaxTokenLength = 4096;

    private readonly byte[] _key;
    private readonly TimeProvider _time;

    private BootstrapTokens(byte[] key, TimeProvider time)
    {
        _key = key;
        _time = time;
    }

    public static BootstrapTokens LoadOrCreate(string stateDirectory, TimeProvider time)
    {
        StateFiles.EnsureDirectory(stateDirectory);
        var path = Path.Combine(stateDirectory, KeyFileName);
        if (File.Exists(path))
        {
            var text = File.ReadAllText(path).Trim();
            var bytes = Convert.FromBase64String(text);
            if (bytes.Length < 32) throw new InvalidOperationException($"{path}: the token key is shorter than 256 bits; delete the file to create a new one");
            return new BootstrapTokens(bytes, time);
        }

        var key = RandomNumberGenerator.GetBytes(32);
        StateFiles.WriteSecret(path, Convert.ToBase64String(key) + "\n");
        return new BootstrapTokens(key, time);
    }

    /// <summary>A token for <paramref name="ns"/>/<paramref name="serviceAccount"/>, or an error naming the bad field.</summary>
    public (string? Token, BootstrapToken? Claims, string? Error) Issue(string? ns, string? serviceAccount, TimeSpan ttl)
    {
        if (!IsName(ns)) return (null, null, $"namespace: Invalid value: \"{ns}\": a lowercase RFC 1123 name is required");
        if (!IsName(serviceAccount)) return (null, null, $"serviceAccount: Invalid value: \"{serviceAccount}\": a lowercase RFC 1123 name is required");
        if (ttl <= TimeSpan.Zero || ttl > MaxTtl) return (null, null, $"ttl: Invalid value: \"{ttl}\": must be more than 0 and at most {MaxTtl.TotalDays:0} days");
        var expires = _time.GetUtcNow() + ttl;
        var claims = new BootstrapToken(Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8)), ns!, serviceAccount!, expires);
        var payload = JsonSerializer.SerializeToUtf8Bytes(new Wire(claims.Id, claims.Namespace, claims.ServiceAccount, expires.ToUnixTimeSeconds()), WireContext.Default.Wire);
        var signed = Prefix + Base64Url.EncodeToString(payload);
        var mac = HMACSHA256.HashData(_key, Encoding.ASCII.GetBytes(signed));
        return (signed + "." + Base64Url.EncodeToString(mac), claims with { Expires = DateTimeOffset.FromUnixTimeSeconds(expires.ToUnixTimeSeconds()) }, null);
    }

    public TokenCheck Check(string? token, out BootstrapToken? claims)
    {
        claims = null;
        if (string.IsNullOrEmpty(token)) return TokenCheck.Missing;
        if (token.Length > MaxTokenLength || !token.StartsWith(Prefix, StringComparison.Ordinal)) return TokenCheck.Malformed;
        var dot = token.LastIndexOf('.');
        if (dot <= Prefix.Length) return TokenCheck.Malformed;
        byte[] payload, mac;
        try
        {
            payload = Base64Url.DecodeFromChars(token.AsSpan(Prefix.Length, dot - Prefix.Length));
            mac = Base64Url.DecodeFromChars(token.AsSpan(dot + 1));
        }
        catch (FormatException)
        {
            return TokenCheck.Malformed;
        }

        var expected = HMACSHA256.HashData(_key, Encoding.ASCII.GetBytes(token[..dot]));
        if (!CryptographicOperations.FixedTimeEquals(expected, mac)) return TokenCheck.BadSignature;
        Wire? wire;
        try
        {
            wire = JsonSerializer.Deserialize(payload, WireContext.Default.Wire);
        }
        catch (JsonException)
        {
            return TokenCheck.Malformed;
        }

        if (wire is null || !IsName(wire.Ns) || !IsName(wire.Sa) || string.IsNullOrEmpty(wire.Id)) return TokenCheck.Malformed;
        claims = new BootstrapToken(wire.Id, wire.Ns, wire.Sa, DateTimeOffset.FromUnixTimeSeconds(wire.Exp));
        return _time.GetUtcNow() >= claims.Expires ? TokenCheck.Expired : TokenCheck.Valid;
    }

    /// <summary>Kubernetes names: 1-253 of [a-z0-9-.], starting and ending alphanumeric.</summary>
    internal static bool IsName(string? value)
    {
        if (string.IsNullOrEmpty(value) || value.Length > 253) return false;
        foreach (var c in value)
        {
            if (c is not ((>= 'a' and <= 'z') or (>= '0' and <= '9') or '-' or '.')) return false;
        }
        return char.IsAsciiLetterOrDigit(value[0]) && char.IsAsciiLetterOrDigit(value[^1]);
    }

    internal sealed record Wire(string Id, string Ns, string Sa, long Exp);
}
