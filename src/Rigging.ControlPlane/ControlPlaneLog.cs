using Microsoft.Extensions.Logging;

namespace Rigging.ControlPlane;

/// <summary>Source-generated log messages of the control plane host.</summary>
internal static partial class ControlPlaneLog
{
    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "control plane ready: xDS on port {XdsPort}, HTTP on port {HttpPort}; config {Directory}: {Resources} resources, {Errors} file error(s)")]
    public static partial void Started(ILogger logger, int xdsPort, int httpPort, string directory, int resources, int errors);
}
