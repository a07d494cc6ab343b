namespace Rigging.Api.Telemetry;

/// <summary>Istio's standard metrics.</summary>
public enum IstioMetric
{
    ALL_METRICS,
    REQUEST_COUNT,
    REQUEST_DURATION,
    REQUEST_SIZE,
    RESPONSE_SIZE,
    TCP_OPENED_CONNECTIONS,
    TCP_CLOSED_CONNECTIONS,
    TCP_SENT_BYTES,
    TCP_RECEIVED_BYTES,
    GRPC_REQUEST_MESSAGES,
    GRPC_RESPONSE_MESSAGES,
}
