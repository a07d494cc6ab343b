using Rigging.Xds.Grpc.Server;

namespace Rigging.Xds.Server;

/// <summary>Settings of an <see cref="AdsServer"/>: the gRPC endpoint it starts on, when started on its own.</summary>
public sealed record AdsServerOptions
{
    public GrpcServerOptions Grpc { get; init; } = new();
}
