using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Rigging.Xds.Grpc.Server;

namespace Rigging.Xds.Server;

/// <summary>Settings of an <see cref="AdsServer"/>: the gRPC endpoint it starts on, when started on its own.</summary>
public sealed record AdsServerOptions
{
    public GrpcServerOptions Grpc { get; init; } = new();

    /// <summary>Stream opens/closes and NACKs are logged here.</summary>
    public ILogger Logger { get; init; } = NullLogger.Instance;
}
