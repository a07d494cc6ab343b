namespace Rigging.Api.Networking;

/// <summary>Which proxy image variant to use.</summary>
public sealed record ProxyImage
{
    public string? ImageType { get; init; }
}
