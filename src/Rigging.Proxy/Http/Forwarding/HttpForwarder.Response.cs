using System.Buffers;
using System.Runtime.CompilerServices;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Rigging.Proxy.Telemetry;

namespace Rigging.Proxy.Http.Forwarding;

public sealed partial class HttpForwarder
{
    private const int BufferSize = 16 * 1024;

    // Pooled: a small body often completes synchronously, and a completed Task<ForwardOutcome> is still an allocation.
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private static async ValueTask<ForwardOutcome> CopyResponseAsync(HttpContext context, HttpResponseMessage upstream, RoutedRequest routed,
        ResponseFlags flags, string endpoint, CancellationToken cancellation)
    {
        var response = context.Response;
        response.StatusCode = (int)upstream.StatusCode;
        CopyHeaders(upstream.Headers, response.Headers);
        CopyHeaders(upstream.Content.Headers, response.Headers);
        routed.Route.ResponseHeaders.Apply(response.Headers);
        routed.Host.ResponseHeaders.Apply(response.Headers);
        routed.Table.ResponseHeaders.Apply(response.Headers);

        var buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
        try
        {
            // SocketsHttpHandler's response content hands its stream over synchronously; the async form only adds a Task.
            var body = upstream.Content.ReadAsStream(cancellation);
            // A gRPC trailers-only answer (grpc-status among the headers, no body) must stay one HEADERS frame
            // ending the stream: headers sent early, then an empty DATA and no trailers, is "no status" to
            // gRPC clients. So its headers wait for the body: none (Kestrel ends the stream in HEADERS) or a
            // first chunk (the write starts the response).
            if (!upstream.Headers.NonValidated.Contains("grpc-status")) await response.StartAsync(cancellation).ConfigureAwait(false);
            while (true)
            {
                int read;
                try
                {
                    read = await body.ReadAsync(buffer, cancellation).ConfigureAwait(false);
                }
                catch (Exception e) when (e is IOException or HttpRequestException)
                {
                    // The upstream reset mid-body: the client must not mistake a cut body for a whole one.
                    context.Abort();
                    return new ForwardOutcome(response.StatusCode, flags | ResponseFlags.UpstreamRemoteReset, endpoint);
                }
                if (read == 0) break;
                await response.Body.WriteAsync(buffer.AsMemory(0, read), cancellation).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            return new ForwardOutcome(response.StatusCode, flags | ResponseFlags.DownstreamConnectionTermination, endpoint);
        }
        catch (OperationCanceledException)
        {
            context.Abort();
            return new ForwardOutcome(response.StatusCode, flags | ResponseFlags.UpstreamRequestTimeout, endpoint);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }

        var upstreamTrailers = upstream.TrailingHeaders.NonValidated;
        if (upstreamTrailers.Count > 0 && context.Features.Get<IHttpResponseTrailersFeature>() is { Trailers: { IsReadOnly: false } trailers })
        {
            foreach (var (name, values) in upstreamTrailers) trailers[name] = values.Count == 1 ? values.ToString() : values.ToArray();
        }
        return new ForwardOutcome(response.StatusCode, flags, endpoint);
    }

    private static void CopyHeaders(System.Net.Http.Headers.HttpHeaders from, IHeaderDictionary to)
    {
        // Headers the upstream's Connection header names are hop-by-hop too.
        from.NonValidated.TryGetValues("connection", out var connection);
        foreach (var (name, values) in from.NonValidated)
        {
            if (HopByHopHeaders.IsHopByHop(name)) continue;
            if (connection.Count > 0 && HopByHopHeaders.IsListedIn(connection, name)) continue;
            to[name] = values.Count == 1 ? values.ToString() : values.ToArray();
        }
    }
}
