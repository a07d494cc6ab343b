using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Rigging.ControlPlane.Config;
using Rigging.ControlPlane.Push;
using Rigging.ControlPlane.Registry;
using Rigging.Xds.Cache;

namespace Rigging.ControlPlane.Debug;

/// <summary>
/// The control plane's HTTP port as one terminal <see cref="RequestDelegate"/>: /ready, /metrics, the /debug pages
/// (syncz, config_dump, registryz, config_errors) and the resources API (POST /apis/v1/resources,
/// DELETE /apis/v1/resources/KIND/NS/NAME).
/// </summary>
public sealed class HttpApi(ConfigStore store, ResourceWriter writer, ProxyRegistry registry, SnapshotCache cache, XdsPusher pusher)
{
    private const string ResourcesPath = "/apis/v1/resources";
    private const int MaxBodyBytes = 16 * 1024 * 1024;

    public async Task HandleAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var path = context.Request.Path.Value ?? "/";
        var method = context.Request.Method;
        switch (path)
        {
            case "/ready" when HttpMethods.IsGet(method):
                await Text(context, 200, "ready\n").ConfigureAwait(false);
                return;
            case "/metrics" when HttpMethods.IsGet(method):
                var nacks = cache.GetStatuses().Sum(s => s.Nacks);
                await Text(context, 200, PrometheusText.Write(pusher.Metrics, registry.ConnectedCount, nacks, store.Errors.Count), "text/plain; version=0.0.4").ConfigureAwait(false);
                return;
            case "/debug/syncz" when HttpMethods.IsGet(method):
                await Json(context, 200, DebugPages.Syncz(cache, registry)).ConfigureAwait(false);
                return;
            case "/debug/registryz" when HttpMethods.IsGet(method):
                await Json(context, 200, DebugPages.Registryz(pusher.BuildContext(), registry)).ConfigureAwait(false);
                return;
            case "/debug/config_errors" when HttpMethods.IsGet(method):
                await Json(context, 200, DebugPages.ConfigErrors(store, pusher.LastContext)).ConfigureAwait(false);
                return;
            case "/debug/config_dump" when HttpMethods.IsGet(method):
                await ConfigDumpAsync(context).ConfigureAwait(false);
                return;
            case ResourcesPath when HttpMethods.IsPost(method):
                await ApplyAsync(context).ConfigureAwait(false);
                return;
        }
        if (path.StartsWith(ResourcesPath + "/", StringComparison.Ordinal) && HttpMethods.IsDelete(method))
        {
            var parts = path[(ResourcesPath.Length + 1)..].Split('/');
            if (parts.Length == 3)
            {
                var result = await writer.DeleteAsync(Uri.UnescapeDataString(parts[0]), Uri.UnescapeDataString(parts[1]), Uri.UnescapeDataString(parts[2]), context.RequestAborted).ConfigureAwait(false);
                await Json(context, result.Status, result).ConfigureAwait(false);
                return;
            }
        }
        await Json(context, 404, new { error = $"no such endpoint: {method} {path}" }).ConfigureAwait(false);
    }

    private async Task ApplyAsync(HttpContext context)
    {
        var source = context.Request.Query["source"].FirstOrDefault() is { Length: > 0 } s ? s : "request";
        using var body = new MemoryStream();
        var buffer = new byte[81920];
        int read;
        while ((read = await context.Request.Body.ReadAsync(buffer, context.RequestAborted).ConfigureAwait(false)) > 0)
        {
            if (body.Length + read > MaxBodyBytes)
            {
                await Json(context, 413, new { error = $"the body is over {MaxBodyBytes / (1024 * 1024)} MiB" }).ConfigureAwait(false);
                return;
            }
            body.Write(buffer, 0, read);
        }
        string text;
        try
        {
            text = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(body.GetBuffer(), 0, (int)body.Length);
        }
        catch (DecoderFallbackException)
        {
            await Json(context, 400, new { error = "the body is not UTF-8 text; send YAML or JSON" }).ConfigureAwait(false);
            return;
        }
        var result = await writer.ApplyAsync(text, source, context.RequestAborted).ConfigureAwait(false);
        await Json(context, result.Status, result).ConfigureAwait(false);
    }

    private async Task ConfigDumpAsync(HttpContext context)
    {
        var proxy = context.Request.Query["proxy"].FirstOrDefault();
        if (string.IsNullOrEmpty(proxy))
        {
            await Json(context, 400, new { error = "say which proxy: /debug/config_dump?proxy=NODE_ID", proxies = cache.NodeIds.Order(StringComparer.Ordinal) }).ConfigureAwait(false);
            return;
        }
        if (cache.GetSnapshot(proxy) is not { } snapshot)
        {
            await Json(context, 404, new { error = $"no snapshot for proxy '{proxy}'", proxies = cache.NodeIds.Order(StringComparer.Ordinal) }).ConfigureAwait(false);
            return;
        }
        using var stream = new MemoryStream();
        using (var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            ConfigDump.Write(json, proxy, snapshot);
        }
        context.Response.StatusCode = 200;
        context.Response.ContentType = "application/json";
        await context.Response.Body.WriteAsync(stream.GetBuffer().AsMemory(0, (int)stream.Length), context.RequestAborted).ConfigureAwait(false);
    }

    private static Task Text(HttpContext context, int status, string text, string contentType = "text/plain")
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = contentType;
        return context.Response.WriteAsync(text, context.RequestAborted);
    }

    private static Task Json(HttpContext context, int status, object value)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        return context.Response.WriteAsync(JsonSerializer.Serialize(value, DebugJson.Options) + "\n", context.RequestAborted);
    }
}
