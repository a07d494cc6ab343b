using Rigging.ControlPlane.Model;

namespace Rigging.ControlPlane.Registry;

/// <summary>A proxy known to the registry: how it announced itself, its instance (if any), and whether a stream is open.</summary>
public sealed record ConnectedProxy(ProxyView View, WorkloadInstance? Instance, int Streams, DateTimeOffset? DisconnectedAt);
