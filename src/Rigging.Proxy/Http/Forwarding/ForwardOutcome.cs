using Rigging.Proxy.Telemetry;

namespace Rigging.Proxy.Http.Forwarding;

/// <summary>How one forwarded request ended: the status sent downstream and the Envoy flags explaining it.</summary>
public readonly record struct ForwardOutcome(int Status, ResponseFlags Flags, string? UpstreamHost);
