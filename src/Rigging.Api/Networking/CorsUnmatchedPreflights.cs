namespace Rigging.Api.Networking;

/// <summary>What to do with a preflight request that matches no allowed origin.</summary>
public enum CorsUnmatchedPreflights
{
    UNSPECIFIED,
    FORWARD,
    IGNORE,
}
