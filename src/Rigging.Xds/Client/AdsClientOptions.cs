using Envoy.Config.Core.V3;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Rigging.Xds.Grpc.Client;

namespace Rigging.Xds.Client;

/// <summary>Where an <see cref="AdsClient"/> connects, who it is, what it wants, and how it retries.</summary>
public sealed record AdsClientOptions
{
    /// <summary>The management server, e.g. http://127.0.0.1:15010 (https for TLS).</summary>
    public required Uri Address { get; init; }

    public required Node Node { get; init; }

    /// <summary>Type URL → resource names; an empty list asks for every resource (wildcard) of that type.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<string>> Subscriptions { get; init; } = new Dictionary<string, IReadOnlyList<string>>();

    /// <summary>Decides ACK or NACK for each update. Runs on the client's loop, one update at a time.</summary>
    public Func<AdsUpdate, ApplyResult>? Apply { get; init; }

    /// <summary>The asynchronous form of <see cref="Apply"/> (used when set), for appliers that bind sockets.</summary>
    public Func<AdsUpdate, ValueTask<ApplyResult>>? ApplyAsync { get; init; }

    public TimeSpan InitialBackoff { get; init; } = TimeSpan.FromMilliseconds(500);

    public TimeSpan MaxBackoff { get; init; } = TimeSpan.FromSeconds(30);

    public GrpcChannelOptions Channel { get; init; } = new();

    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>Reconnects and rejections are logged here.</summary>
    public ILogger Logger { get; init; } = NullLogger.Instance;

    /// <summary>Jitter source (seed it in tests).</summary>
    public Random Random { get; init; } = Random.Shared;
}
