namespace Rigging.Proxy.Http.Filters.Jwt;

/// <summary>Where a provider's keys come from: inline (local_jwks) or fetched and cached (remote_jwks).</summary>
public interface IJwksSource
{
    /// <summary>What a request is refused with when <see cref="KeysAsync"/> has no keys.</summary>
    JwtStatus UnavailableStatus { get; }

    /// <summary>The current keys; <paramref name="kid"/> is the token's key id, which a remote source may refetch for.</summary>
    ValueTask<JwksKeySet?> KeysAsync(string? kid, TimeProvider time, CancellationToken cancel);
}
