namespace Rigging.Api.Model;

/// <summary>Names the resource a policy attaches to, such as a Gateway or a Service (istio.type.v1beta1).</summary>
public sealed record PolicyTargetReference
{
    public string? Group { get; init; }

    public string? Kind { get; init; }

    public string? Name { get; init; }

    /// <summary>Must be the policy's own namespace when set.</summary>
    public string? Namespace { get; init; }
}
