namespace Rigging.Api.Networking;

/// <summary>Ends a share of requests early with an error (set one error kind).</summary>
public sealed record FaultAbort
{
    public int? HttpStatus { get; init; }

    public string? GrpcStatus { get; init; }

    public string? Http2Error { get; init; }

    public Percent? Percentage { get; init; }
}
