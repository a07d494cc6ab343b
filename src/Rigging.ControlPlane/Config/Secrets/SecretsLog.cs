using Microsoft.Extensions.Logging;

namespace Rigging.ControlPlane.Config.Secrets;

internal static partial class SecretsLog
{
    [LoggerMessage(EventId = 601, Level = LogLevel.Warning, Message = "credential folder {Folder} skipped: {Reason}")]
    public static partial void Unreadable(ILogger logger, string folder, string reason);
}
