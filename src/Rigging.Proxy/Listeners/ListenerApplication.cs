using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Abstractions;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Rigging.Proxy.Listeners;

/// <summary>
/// What Kestrel calls for each request of a listener: the proxy's handler, with nothing of ASP.NET Core's hosting
/// layer in between (no middleware pipeline, request services scope, diagnostics or activity per request). The
/// HttpContext is reused across the requests of a connection, as the hosting layer does.
/// </summary>
internal sealed class ListenerApplication(RequestDelegate handler) : IHttpApplication<HttpContext>
{
    public HttpContext CreateContext(IFeatureCollection contextFeatures)
    {
        if (contextFeatures is IHostContextContainer<HttpContext> container)
        {
            if (container.HostContext is DefaultHttpContext reused)
            {
                reused.Initialize(contextFeatures);
                return reused;
            }
            var created = new DefaultHttpContext(contextFeatures);
            container.HostContext = created;
            return created;
        }
        return new DefaultHttpContext(contextFeatures);
    }

    public Task ProcessRequestAsync(HttpContext context) => handler(context);

    public void DisposeContext(HttpContext context, Exception? exception)
    {
        if (context is DefaultHttpContext reusable) reusable.Uninitialize();
    }
}
