using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Rigging.ControlPlane.Config;

/// <summary>Where the store reads and how eagerly: quiet time after file events, and the safety-net rescan period.</summary>
public sealed record ConfigStoreOptions
{
    public required string Directory { get; init; }

    /// <summary>File events are coalesced until none came for this long.</summary>
    public TimeSpan Debounce { get; init; } = TimeSpan.FromMilliseconds(50);

    /// <summary>The whole directory is rescanned this often, in case the watcher missed an event.</summary>
    public TimeSpan RescanPeriod { get; init; } = TimeSpan.FromSeconds(5);

    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    public ILogger Logger { get; init; } = NullLogger.Instance;
}
