using Microsoft.Extensions.Logging;

namespace Rigging.ControlPlane.Config;

/// <summary>Source-generated log messages of the config store.</summary>
internal static partial class ConfigLog
{
    [LoggerMessage(EventId = 100, Level = LogLevel.Information, Message = "config: {File}: {Count} resource(s) loaded")]
    public static partial void FileLoaded(ILogger logger, string file, int count);

    [LoggerMessage(EventId = 101, Level = LogLevel.Warning, Message = "config: {File} rejected ({Errors} error(s)); its last good version keeps serving. First: {First}")]
    public static partial void FileRejected(ILogger logger, string file, int errors, string first);

    [LoggerMessage(EventId = 102, Level = LogLevel.Information, Message = "config: {File} removed ({Count} resource(s))")]
    public static partial void FileRemoved(ILogger logger, string file, int count);

    [LoggerMessage(EventId = 103, Level = LogLevel.Warning, Message = "config: {Resource} in {File} is also defined in {First}; the first one is used")]
    public static partial void Duplicate(ILogger logger, string resource, string file, string first);

    [LoggerMessage(EventId = 104, Level = LogLevel.Error, Message = "config: scanning {Directory} failed")]
    public static partial void ScanFailed(ILogger logger, string directory, Exception exception);
}
