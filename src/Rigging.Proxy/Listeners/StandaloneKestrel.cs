using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Transport.Sockets;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Rigging.Proxy.Listeners;

/// <summary>
/// Kestrel on its own, without a WebApplication: the proxy's listeners and admin port need no DI container,
/// configuration, middleware or hosting diagnostics, which cost memory per server and time per request. Requests
/// go straight to one handler (<see cref="ListenerApplication"/>).
/// </summary>
internal static class StandaloneKestrel
{
    /// <summary>Options to configure before <see cref="StartAsync"/>; ours never ask Kestrel for services.</summary>
    public static KestrelServerOptions Options() => new() { ApplicationServices = NoServices.Instance, AddServerHeader = false };

    /// <summary>Starts the server; returns it and the TCP port its first TCP endpoint bound (the one chosen for port 0).</summary>
    public static async Task<(KestrelServer Server, int Port)> StartAsync(KestrelServerOptions options, RequestDelegate handler, bool inlineScheduling = false)
    {
        var sockets = new SocketTransportOptions { UnsafePreferInlineScheduling = inlineScheduling };
        var server = new KestrelServer(Microsoft.Extensions.Options.Options.Create(options),
            new SocketTransportFactory(Microsoft.Extensions.Options.Options.Create(sockets), NullLoggerFactory.Instance), NullLoggerFactory.Instance);
        await server.StartAsync(new ListenerApplication(handler), CancellationToken.None).ConfigureAwait(false);
        var address = server.Features.Get<IServerAddressesFeature>()!.Addresses
            .First(a => a.StartsWith("http://", StringComparison.Ordinal) && !a.Contains("unix:", StringComparison.Ordinal));
        return (server, new Uri(address).Port);
    }
}
