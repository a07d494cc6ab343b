using Rigging.Xds.Cache;
using Rigging.Xds.Grpc.Server;

namespace Rigging.Xds.Server;

/// <summary>
/// The xDS management server over a <see cref="SnapshotCache"/>: ADS (state-of-the-world and delta) and the
/// per-type discovery services. Mount it on a Kestrel app with <see cref="Register"/> and
/// <see cref="GrpcApplicationBuilderExtensions.UseGrpcServices"/>, or start it on a port with <see cref="StartAsync"/>.
/// </summary>
public sealed class AdsServer
{
    public AdsServer(SnapshotCache cache, AdsServerOptions? options = null)
    {
        Cache = cache;
        Options = options ?? new AdsServerOptions();
    }

    public SnapshotCache Cache { get; }

    public AdsServerOptions Options { get; }

    /// <summary>Adds every xDS method to <paramref name="registry"/>.</summary>
    public GrpcServiceRegistry Register(GrpcServiceRegistry registry)
    {
        ArgumentNullException.ThrowIfNull(registry);
        registry.AddDuplex(DiscoveryMethods.StreamAggregatedResources, (rq, rs, ctx) => new SotwStream(Cache, null, Options.Logger).RunAsync(rq, rs, ctx));
        registry.AddDuplex(DiscoveryMethods.DeltaAggregatedResources, (rq, rs, ctx) => new DeltaStream(Cache, null, Options.Logger).RunAsync(rq, rs, ctx));
        foreach (var (typeUrl, service, sotw, delta) in DiscoveryMethods.PerTypeServices)
        {
            registry.AddDuplex(DiscoveryMethods.Sotw(service, sotw), (rq, rs, ctx) => new SotwStream(Cache, typeUrl, Options.Logger).RunAsync(rq, rs, ctx));
            registry.AddDuplex(DiscoveryMethods.Delta(service, delta), (rq, rs, ctx) => new DeltaStream(Cache, typeUrl, Options.Logger).RunAsync(rq, rs, ctx));
        }

        return registry;
    }

    /// <summary>Starts a Kestrel server (h2c, or h2 with TLS when a certificate is set) serving only xDS.</summary>
    public Task<GrpcServer> StartAsync(CancellationToken cancellationToken = default) =>
        GrpcServer.StartAsync(Register(new GrpcServiceRegistry(Options.Grpc)), cancellationToken);
}
