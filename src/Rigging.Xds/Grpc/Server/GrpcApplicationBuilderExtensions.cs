using Microsoft.AspNetCore.Builder;

namespace Rigging.Xds.Grpc.Server;

/// <summary>Mounts a <see cref="GrpcServiceRegistry"/> on an existing Kestrel app (other paths fall through).</summary>
public static class GrpcApplicationBuilderExtensions
{
    public static IApplicationBuilder UseGrpcServices(this IApplicationBuilder app, GrpcServiceRegistry services)
    {
        ArgumentNullException.ThrowIfNull(app);
        ArgumentNullException.ThrowIfNull(services);
        return app.Use((context, next) => services.Handles(context.Request.Path) ? services.HandleAsync(context) : next(context));
    }
}
