namespace Rigging.Api.Networking;

/// <summary>Spec of a Gateway: ports, protocols and TLS of a proxy at the mesh edge.</summary>
public sealed record Gateway
{
    public IReadOnlyList<Server>? Servers { get; init; }

    public IReadOnlyDictionary<string, string>? Selector { get; init; }
}
