using Rigging.Api.Model;

namespace Rigging.Api.Networking;

/// <summary>Cross-origin resource sharing settings for a route.</summary>
public sealed record CorsPolicy
{
    /// <summary>Deprecated: use AllowOrigins.</summary>
    public IReadOnlyList<string>? AllowOrigin { get; init; }

    public IReadOnlyList<StringMatch>? AllowOrigins { get; init; }

    public IReadOnlyList<string>? AllowMethods { get; init; }

    public IReadOnlyList<string>? AllowHeaders { get; init; }

    public IReadOnlyList<string>? ExposeHeaders { get; init; }

    public Duration? MaxAge { get; init; }

    public bool? AllowCredentials { get; init; }

    public CorsUnmatchedPreflights? UnmatchedPreflights { get; init; }
}
