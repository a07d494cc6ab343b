using Rigging.Api.Model;

namespace Rigging.Api.Kubernetes;

/// <summary>A port of a Kubernetes Service.</summary>
[PartialModel]
public sealed record ServicePort
{
    public string? Name { get; init; }

    public string? Protocol { get; init; }

    public string? AppProtocol { get; init; }

    public int? Port { get; init; }

    public IntOrString? TargetPort { get; init; }

    public int? NodePort { get; init; }
}
