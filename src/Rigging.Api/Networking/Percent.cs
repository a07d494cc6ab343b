namespace Rigging.Api.Networking;

/// <summary>A percentage from 0.0 to 100.0.</summary>
public sealed record Percent
{
    public double? Value { get; init; }
}
