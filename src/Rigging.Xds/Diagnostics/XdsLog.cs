using Microsoft.Extensions.Logging;

namespace Rigging.Xds.Diagnostics;

/// <summary>Source-generated log messages of the xDS server and client.</summary>
internal static partial class XdsLog
{
    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "xDS {Kind} stream opened by node {NodeId} ({Peer})")]
    public static partial void StreamOpened(ILogger logger, string kind, string nodeId, string peer);

    [LoggerMessage(EventId = 2, Level = LogLevel.Information, Message = "xDS {Kind} stream of node {NodeId} closed")]
    public static partial void StreamClosed(ILogger logger, string kind, string nodeId);

    [LoggerMessage(EventId = 3, Level = LogLevel.Warning, Message = "Node {NodeId} rejected (NACK) {TypeUrl} version {Version}: {Error}")]
    public static partial void Nacked(ILogger logger, string nodeId, string typeUrl, string? version, string error);

    [LoggerMessage(EventId = 10, Level = LogLevel.Warning, Message = "ADS stream to {Address} ended ({Reason}); reconnecting in {DelayMs} ms")]
    public static partial void ClientStreamEnded(ILogger logger, Uri address, string reason, long delayMs);

    [LoggerMessage(EventId = 11, Level = LogLevel.Warning, Message = "Rejected (NACK) {TypeUrl} version {Version}: {Reason}")]
    public static partial void ClientRejected(ILogger logger, string typeUrl, string version, string reason);

    [LoggerMessage(EventId = 12, Level = LogLevel.Debug, Message = "Applied {TypeUrl} version {Version} ({Count} resources)")]
    public static partial void ClientApplied(ILogger logger, string typeUrl, string version, int count);
}
