namespace Rigging.Xds.Client;

/// <summary>What the apply callback decided about an update: accept it whole (ACK) or reject it (NACK).</summary>
public readonly record struct ApplyResult(bool Accepted, string? Reason)
{
    public static ApplyResult Accept() => new(true, null);

    public static ApplyResult Reject(string reason) => new(false, reason);
}
