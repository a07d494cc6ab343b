namespace Rigging.Api.Networking;

/// <summary>A header name and value sent with an HTTP check.</summary>
public sealed record HttpHeader
{
    public string? Name { get; init; }

    public string? Value { get; init; }
}
