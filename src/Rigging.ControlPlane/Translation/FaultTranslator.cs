using Envoy.Extensions.Filters.Http.Fault.V3;
using Envoy.Type.V3;
using Google.Protobuf.WellKnownTypes;
using Rigging.Api.Networking;
using CommonFault = Envoy.Extensions.Filters.Common.Fault.V3;

namespace Rigging.ControlPlane.Translation;

/// <summary>Istio's HTTPFaultInjection → Envoy's HTTPFault (per-route config of the fault filter).</summary>
internal static class FaultTranslator
{
    public static HTTPFault Translate(HttpFaultInjection fault)
    {
        var result = new HTTPFault();
        if (fault.Delay is { } delay)
        {
            result.Delay = new CommonFault.FaultDelay
            {
                FixedDelay = Duration.FromTimeSpan(delay.FixedDelay?.Value ?? delay.ExponentialDelay?.Value ?? TimeSpan.Zero),
                Percentage = Percent(delay.Percentage?.Value ?? delay.Percent ?? 100),
            };
        }
        if (fault.Abort is { } abort)
        {
            result.Abort = new Envoy.Extensions.Filters.Http.Fault.V3.FaultAbort { Percentage = Percent(abort.Percentage?.Value ?? 100) };
            if (abort.GrpcStatus is { } grpc) result.Abort.GrpcStatus = GrpcCode(grpc);
            else result.Abort.HttpStatus = (uint)(abort.HttpStatus ?? 503);
        }
        return result;
    }

    /// <summary>Percentages in millionths, so 0.1% survives (Istio uses the same denominator).</summary>
    private static FractionalPercent Percent(double value) => new()
    {
        Numerator = (uint)Math.Round(Math.Clamp(value, 0, 100) * 10_000),
        Denominator = FractionalPercent.Types.DenominatorType.Million,
    };

    private static uint GrpcCode(string status) => status.ToUpperInvariant() switch
    {
        "OK" => 0, "CANCELLED" => 1, "UNKNOWN" => 2, "INVALID_ARGUMENT" => 3, "DEADLINE_EXCEEDED" => 4, "NOT_FOUND" => 5,
        "ALREADY_EXISTS" => 6, "PERMISSION_DENIED" => 7, "RESOURCE_EXHAUSTED" => 8, "FAILED_PRECONDITION" => 9, "ABORTED" => 10,
        "OUT_OF_RANGE" => 11, "UNIMPLEMENTED" => 12, "INTERNAL" => 13, "UNAVAILABLE" => 14, "DATA_LOSS" => 15, "UNAUTHENTICATED" => 16,
        _ => uint.TryParse(status, System.Globalization.CultureInfo.InvariantCulture, out var code) ? code : 2,
    };
}
