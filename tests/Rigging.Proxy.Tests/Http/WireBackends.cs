using System.Net.WebSockets;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Rigging.Proxy.Tests.Infrastructure;

namespace Rigging.Proxy.Tests.Http;

/// <summary>Backends for the wire tests: a WebSocket echo server (Kestrel's upgrade feature, RFC 6455 handshake).</summary>
internal static class WireBackends
{
    public static Task<TestBackend> WebSocketEchoAsync() => TestBackend.StartAsync("ws", async context =>
    {
        var upgrade = context.Features.Get<IHttpUpgradeFeature>();
        if (upgrade is not { IsUpgradableRequest: true })
        {
            context.Response.StatusCode = 426;
            return;
        }
        var key = context.Request.Headers["Sec-WebSocket-Key"].ToString();
        var accept = Convert.ToBase64String(SHA1.HashData(Encoding.ASCII.GetBytes(key + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11")));
        context.Response.Headers["Upgrade"] = "websocket";
        context.Response.Headers["Sec-WebSocket-Accept"] = accept;
        await using var stream = await upgrade.UpgradeAsync();
        using var socket = WebSocket.CreateFromStream(stream, new WebSocketCreationOptions { IsServer = true });
        var buffer = new byte[4096];
        for (var i = 0; i < 100; i++)
        {
            var received = await socket.ReceiveAsync(buffer, CancellationToken.None);
            if (received.MessageType == WebSocketMessageType.Close)
            {
                await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "bye", CancellationToken.None);
                return;
            }
            var reply = Encoding.UTF8.GetBytes("echo " + Encoding.UTF8.GetString(buffer, 0, received.Count));
            await socket.SendAsync(reply, WebSocketMessageType.Text, true, CancellationToken.None);
        }
    });
}
