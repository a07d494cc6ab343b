using Microsoft.Extensions.Logging;

namespace Rigging.ControlPlane.Push;

/// <summary>Source-generated log messages of pushes.</summary>
internal static partial class PushLog
{
    [LoggerMessage(EventId = 300, Level = LogLevel.Information, Message = "push {Request}: {Proxies} proxies, {Views} views ({Full} translated, {Endpoints} endpoints only) in {Milliseconds:F1} ms ({Merged} changes merged)")]
    public static partial void Pushed(ILogger logger, string request, int proxies, int views, int full, int endpoints, double milliseconds, int merged);

    [LoggerMessage(EventId = 301, Level = LogLevel.Error, Message = "push: snapshot for {NodeId} refused: {Error}; its previous snapshot keeps serving")]
    public static partial void Refused(ILogger logger, string nodeId, string error);

    [LoggerMessage(EventId = 302, Level = LogLevel.Error, Message = "push: generating for {NodeId} failed; its previous snapshot keeps serving")]
    public static partial void Failed(ILogger logger, string nodeId, Exception exception);
}
