using Microsoft.Extensions.Logging;

namespace Rigging.Cli.Commands;

/// <summary>The lifecycle lines of `rig proxy` and `rig run`.</summary>
internal static partial class ProxyCommandLog
{
    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "proxy {NodeId} started; xDS server {Xds}")]
    public static partial void Started(ILogger logger, string nodeId, string xds);

    [LoggerMessage(EventId = 2, Level = LogLevel.Information, Message = "stopping ({Reason})")]
    public static partial void Stopping(ILogger logger, string reason);

    [LoggerMessage(EventId = 3, Level = LogLevel.Information, Message = "stopped")]
    public static partial void Stopped(ILogger logger);

    [LoggerMessage(EventId = 4, Level = LogLevel.Information, Message = "proxy ready after {Ms} ms; starting {Command}")]
    public static partial void StartingApp(ILogger logger, long ms, string command);

    [LoggerMessage(EventId = 5, Level = LogLevel.Warning, Message = "proxy not ready after {Ms} ms; starting {Command} anyway")]
    public static partial void StartingAppUnready(ILogger logger, long ms, string command);

    [LoggerMessage(EventId = 6, Level = LogLevel.Information, Message = "application accepts connections on port {Port}")]
    public static partial void AppListening(ILogger logger, int port);

    [LoggerMessage(EventId = 7, Level = LogLevel.Warning, Message = "application did not accept connections on port {Port} within {Ms} ms")]
    public static partial void AppNotListening(ILogger logger, int port, long ms);

    [LoggerMessage(EventId = 8, Level = LogLevel.Information, Message = "application exited with code {Code}")]
    public static partial void AppExited(ILogger logger, int code);
}
