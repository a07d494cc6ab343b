using Rigging.Api.Model;

namespace Rigging.Api.Networking;

/// <summary>Retry policy for an HTTP route.</summary>
public sealed record HttpRetry
{
    public int? Attempts { get; init; }

    public Duration? PerTryTimeout { get; init; }

    public string? RetryOn { get; init; }

    public bool? RetryRemoteLocalities { get; init; }

    public bool? RetryIgnorePreviousHosts { get; init; }

    public Duration? Backoff { get; init; }
}
