namespace Rigging.Api.Networking;

/// <summary>Header changes for the request and for the response.</summary>
public sealed record Headers
{
    public HeaderOperations? Request { get; init; }

    public HeaderOperations? Response { get; init; }
}
