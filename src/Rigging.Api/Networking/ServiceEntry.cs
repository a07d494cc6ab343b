using Rigging.Api.Model;

namespace Rigging.Api.Networking;

/// <summary>Spec of a ServiceEntry: adds a service to Istio's registry.</summary>
public sealed record ServiceEntry
{
    public IReadOnlyList<string>? Hosts { get; init; }

    public IReadOnlyList<string>? Addresses { get; init; }

    public IReadOnlyList<ServiceEntryPort>? Ports { get; init; }

    public ServiceEntryLocation? Location { get; init; }

    public ServiceEntryResolution? Resolution { get; init; }

    public IReadOnlyList<WorkloadEntry>? Endpoints { get; init; }

    public NetworkingWorkloadSelector? WorkloadSelector { get; init; }

    public IReadOnlyList<string>? ExportTo { get; init; }

    public IReadOnlyList<string>? SubjectAltNames { get; init; }
}
