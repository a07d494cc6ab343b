using Microsoft.Extensions.Logging;

namespace Rigging.ControlPlane.Security;

/// <summary>Source-generated log messages of the CA.</summary>
internal static partial class CaLog
{
    [LoggerMessage(EventId = 100, Level = LogLevel.Information, Message = "CA ready: trust domain {TrustDomain}, {Kind}, root {RootPath}")]
    public static partial void Ready(ILogger logger, string trustDomain, string kind, string rootPath);

    [LoggerMessage(EventId = 101, Level = LogLevel.Information, Message = "signed {Identity} for {Peer}, proven by {Credential}")]
    public static partial void Signed(ILogger logger, string identity, string credential, string peer);

    [LoggerMessage(EventId = 102, Level = LogLevel.Warning, Message = "refused a CSR from {Peer}: {Reason}")]
    public static partial void Refused(ILogger logger, string peer, string reason);

    [LoggerMessage(EventId = 103, Level = LogLevel.Information, Message = "xDS TLS serving certificate renewed, valid until {NotAfter}")]
    public static partial void ServingRenewed(ILogger logger, DateTimeOffset notAfter);

    [LoggerMessage(EventId = 104, Level = LogLevel.Warning, Message = "xDS TLS serving certificate renewal failed: {Reason}")]
    public static partial void ServingRenewalFailed(ILogger logger, string reason);
}
