namespace Rigging.ControlPlane.Registry;

/// <summary>
/// What changed in the live registry: a proxy that connected and needs its first snapshot, and/or the workload
/// instances that came or went (an endpoint-only change for the services that select them).
/// </summary>
public sealed record RegistryChange(string? ConnectedProxy, bool InstancesChanged);
