namespace Rigging.Api.Networking;

/// <summary>Answers with a fixed status and body instead of forwarding.</summary>
public sealed record HttpDirectResponse
{
    public uint? Status { get; init; }

    public HttpBody? Body { get; init; }
}
