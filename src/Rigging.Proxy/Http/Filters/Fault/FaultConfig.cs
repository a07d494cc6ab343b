using System.Collections.Frozen;
using System.Collections.Immutable;
using Envoy.Extensions.Filters.Http.Fault.V3;
using Rigging.Proxy.Config;
using Rigging.Proxy.Routing;
using CommonFault = Envoy.Extensions.Filters.Common.Fault.V3;

namespace Rigging.Proxy.Http.Filters.Fault;

/// <summary>
/// A compiled HTTPFault (envoy.filters.http.fault): the filter's own config, or a route's override of it
/// through typed_per_filter_config (which replaces it whole, as in Envoy).
/// </summary>
public sealed record FaultConfig
{
    public static FaultConfig None { get; } = new();

    public FaultDelayConfig? Delay { get; init; }

    public FaultAbortConfig? Abort { get; init; }

    /// <summary>Faults apply only to requests routed to this cluster, when set.</summary>
    public string? UpstreamCluster { get; init; }

    /// <summary>Faults apply only to requests matching every one of these.</summary>
    public ImmutableArray<HeaderMatcherModel> Headers { get; init; } = [];

    /// <summary>Faults apply only to requests whose x-envoy-downstream-service-node is one of these, when set.</summary>
    public FrozenSet<string> DownstreamNodes { get; init; } = FrozenSet<string>.Empty;

    /// <summary>At most this many requests in a fault at once (null: unlimited).</summary>
    public int? MaxActiveFaults { get; init; }

    public bool IsEmpty => Delay is null && Abort is null;

    public static FaultConfig Compile(HTTPFault fault, string where)
    {
        if (fault.ResponseRateLimit is not null) throw new ConfigException($"{where}: response_rate_limit is not supported");
        var headers = ImmutableArray.CreateBuilder<HeaderMatcherModel>(fault.Headers.Count);
        for (var i = 0; i < fault.Headers.Count; i++) headers.Add(RouteCompiler.Header(fault.Headers[i], $"{where}: headers[{i}]"));
        return new FaultConfig
        {
            Delay = fault.Delay is { } d ? CompileDelay(d, $"{where}: delay") : null,
            Abort = fault.Abort is { } a ? CompileAbort(a, $"{where}: abort") : null,
            UpstreamCluster = string.IsNullOrEmpty(fault.UpstreamCluster) ? null : fault.UpstreamCluster,
            Headers = headers.MoveToImmutable(),
            DownstreamNodes = fault.DownstreamNodes.ToFrozenSet(StringComparer.Ordinal),
            MaxActiveFaults = fault.MaxActiveFaults is { } max ? (int)Math.Min(max, int.MaxValue) : null,
        };
    }

    private static FaultDelayConfig CompileDelay(CommonFault.FaultDelay delay, string where)
    {
        var percentage = FaultPercentage.From(delay.Percentage);
        switch (delay.FaultDelaySecifierCase)
        {
            case CommonFault.FaultDelay.FaultDelaySecifierOneofCase.FixedDelay:
                var fixedDelay = delay.FixedDelay.ToTimeSpan();
                if (fixedDelay <= TimeSpan.Zero) throw new ConfigException($"{where}: fixed_delay must be greater than 0 (it is {fixedDelay})");
                return new FaultDelayConfig(fixedDelay, FromHeader: false, percentage);
            case CommonFault.FaultDelay.FaultDelaySecifierOneofCase.HeaderDelay:
                return new FaultDelayConfig(null, FromHeader: true, percentage);
            default:
                throw new ConfigException($"{where}: needs fixed_delay or header_delay");
        }
    }

    private static FaultAbortConfig CompileAbort(FaultAbort abort, string where)
    {
        var percentage = FaultPercentage.From(abort.Percentage);
        switch (abort.ErrorTypeCase)
        {
            case FaultAbort.ErrorTypeOneofCase.HttpStatus:
                if (abort.HttpStatus is < 200 or >= 600) throw new ConfigException($"{where}: http_status {abort.HttpStatus} must be 200-599");
                return new FaultAbortConfig((int)abort.HttpStatus, null, FromHeader: false, percentage);
            case FaultAbort.ErrorTypeOneofCase.GrpcStatus:
                return new FaultAbortConfig(null, (int)abort.GrpcStatus, FromHeader: false, percentage);
            case FaultAbort.ErrorTypeOneofCase.HeaderAbort:
                return new FaultAbortConfig(null, null, FromHeader: true, percentage);
            default:
                throw new ConfigException($"{where}: needs http_status, grpc_status or header_abort");
        }
    }
}

/// <summary>A fixed delay, or one the request asks for in x-envoy-fault-delay-request (milliseconds).</summary>
public sealed record FaultDelayConfig(TimeSpan? Fixed, bool FromHeader, FaultPercentage Percentage);

/// <summary>An HTTP or gRPC status to answer with, or one the request asks for in x-envoy-fault-abort-*.</summary>
public sealed record FaultAbortConfig(int? HttpStatus, int? GrpcStatus, bool FromHeader, FaultPercentage Percentage);
