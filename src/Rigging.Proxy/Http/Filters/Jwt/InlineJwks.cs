namespace Rigging.Proxy.Http.Filters.Jwt;

/// <summary>local_jwks: parsed once when the snapshot is compiled. A document with no usable key is kept as "no keys" (as Envoy does), so its tokens are refused rather than the whole config.</summary>
public sealed class InlineJwks(JwksKeySet? keys) : IJwksSource
{
    public JwtStatus UnavailableStatus => JwtStatus.JwksNoValidKeys;

    public ValueTask<JwksKeySet?> KeysAsync(string? kid, TimeProvider time, CancellationToken cancel) => ValueTask.FromResult(keys);
}
