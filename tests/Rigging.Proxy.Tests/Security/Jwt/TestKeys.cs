using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Rigging.Proxy.Tests.Security.Jwt;

/// <summary>A signing key made in the test (RSA 2048 or EC P-256), its JWK, and tokens it signs.</summary>
internal sealed class TestKey : IDisposable
{
    private readonly RSA? _rsa;
    private readonly ECDsa? _ec;

    private TestKey(string kid, RSA? rsa, ECDsa? ec)
    {
        Kid = kid;
        _rsa = rsa;
        _ec = ec;
    }

    public string Kid { get; }

    public string Alg => _rsa is not null ? "RS256" : "ES256";

    public static TestKey Rsa(string kid) => new(kid, RSA.Create(2048), null);

    public static TestKey Ec(string kid) => new(kid, null, ECDsa.Create(ECCurve.NamedCurves.nistP256));

    public JsonObject Jwk()
    {
        if (_rsa is not null)
        {
            var p = _rsa.ExportParameters(false);
            return new JsonObject { ["kty"] = "RSA", ["kid"] = Kid, ["alg"] = "RS256", ["use"] = "sig", ["n"] = B64(p.Modulus!), ["e"] = B64(p.Exponent!) };
        }
        var q = _ec!.ExportParameters(false).Q;
        return new JsonObject { ["kty"] = "EC", ["kid"] = Kid, ["crv"] = "P-256", ["x"] = B64(q.X!), ["y"] = B64(q.Y!) };
    }

    public static string Jwks(params TestKey[] keys)
    {
        var array = new JsonArray();
        foreach (var key in keys) array.Add(key.Jwk());
        return new JsonObject { ["keys"] = array }.ToJsonString();
    }

    /// <summary>A compact JWS of <paramref name="claims"/> signed with this key (header alg/kid overridable for attacks).</summary>
    public string Sign(object claims, string? alg = null, string? kid = null)
    {
        var header = JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, string> { ["alg"] = alg ?? Alg, ["kid"] = kid ?? Kid, ["typ"] = "JWT" });
        var input = $"{B64(header)}.{B64(JsonSerializer.SerializeToUtf8Bytes(claims))}";
        var data = Encoding.ASCII.GetBytes(input);
        var signature = _rsa is not null
            ? _rsa.SignData(data, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1)
            : _ec!.SignData(data, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
        return $"{input}.{B64(signature)}";
    }

    public static string B64(byte[] bytes) => Base64Url.EncodeToString(bytes);

    public static string B64(string text) => B64(Encoding.UTF8.GetBytes(text));

    public void Dispose()
    {
        _rsa?.Dispose();
        _ec?.Dispose();
    }
}
