namespace Rigging.Api.Networking;

/// <summary>Faults to inject into matching requests: delays and aborts.</summary>
public sealed record HttpFaultInjection
{
    public FaultDelay? Delay { get; init; }

    public FaultAbort? Abort { get; init; }
}
