namespace Rigging.Api.Networking;

/// <summary>How the proxy checks a VM workload is ready (set one check method).</summary>
public sealed record ReadinessProbe
{
    public int? InitialDelaySeconds { get; init; }

    public int? TimeoutSeconds { get; init; }

    public int? PeriodSeconds { get; init; }

    public int? SuccessThreshold { get; init; }

    public int? FailureThreshold { get; init; }

    public HttpHealthCheckConfig? HttpGet { get; init; }

    public TcpHealthCheckConfig? TcpSocket { get; init; }

    public ExecHealthCheckConfig? Exec { get; init; }

    public GrpcHealthCheckConfig? Grpc { get; init; }
}
