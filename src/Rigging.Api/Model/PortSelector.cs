namespace Rigging.Api.Model;

/// <summary>Picks a port by its number.</summary>
public sealed record PortSelector
{
    public uint? Number { get; init; }
}
