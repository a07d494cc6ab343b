namespace Rigging.Api.Networking;

/// <summary>A direct response body: text, or bytes written as base64.</summary>
public sealed record HttpBody
{
    public string? String { get; init; }

    /// <summary>Base64 text, as protobuf JSON writes bytes.</summary>
    public string? Bytes { get; init; }
}
