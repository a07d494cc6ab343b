namespace Rigging.Api.Networking;

/// <summary>A port of a ServiceEntry (istio.networking.v1alpha3.ServicePort).</summary>
public sealed record ServiceEntryPort
{
    public uint? Number { get; init; }

    public string? Protocol { get; init; }

    public string? Name { get; init; }

    public uint? TargetPort { get; init; }
}
