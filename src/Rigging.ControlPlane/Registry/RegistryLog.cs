using Microsoft.Extensions.Logging;
using Rigging.ControlPlane.Model;

namespace Rigging.ControlPlane.Registry;

/// <summary>Source-generated log messages of the live registry.</summary>
internal static partial class RegistryLog
{
    [LoggerMessage(EventId = 200, Level = LogLevel.Information, Message = "proxy {NodeId} connected ({Kind}, namespace {Namespace}, address {Address})")]
    public static partial void ProxyConnected(ILogger logger, string nodeId, ProxyKind kind, string @namespace, string address);

    [LoggerMessage(EventId = 201, Level = LogLevel.Information, Message = "proxy {NodeId} disconnected; its endpoints stay for {GraceSeconds} s")]
    public static partial void ProxyDisconnected(ILogger logger, string nodeId, double graceSeconds);

    [LoggerMessage(EventId = 202, Level = LogLevel.Information, Message = "proxy {NodeId} removed after its grace period")]
    public static partial void ProxyRemoved(ILogger logger, string nodeId);
}
