using Rigging.Api.Model;

namespace Rigging.Api.Kubernetes;

/// <summary>The parts of an apps/v1 Deployment, StatefulSet, DaemonSet or ReplicaSet spec the mesh reads.</summary>
[PartialModel]
public sealed record DeploymentSpec
{
    public int? Replicas { get; init; }

    public LabelSelector? Selector { get; init; }

    public PodTemplateSpec? Template { get; init; }
}
