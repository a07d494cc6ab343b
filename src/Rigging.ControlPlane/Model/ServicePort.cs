namespace Rigging.ControlPlane.Model;

/// <summary>One port of a service: the number clients use, its name and protocol, and where workloads listen.</summary>
public sealed record ServicePort(string Name, int Port, Protocol Protocol, int TargetPort, string? TargetPortName = null);
