namespace Rigging.Api.Networking;

/// <summary>A port of a sidecar listener.</summary>
public sealed record SidecarPort
{
    public uint? Number { get; init; }

    public string? Protocol { get; init; }

    public string? Name { get; init; }

    /// <summary>Deprecated.</summary>
    public uint? TargetPort { get; init; }
}
