namespace Rigging.Api.Networking;

/// <summary>A Gateway server port: number, protocol and name.</summary>
public sealed record Port
{
    public uint? Number { get; init; }

    public string? Protocol { get; init; }

    public string? Name { get; init; }

    /// <summary>Deprecated.</summary>
    public uint? TargetPort { get; init; }
}
