using Google.Protobuf;
using Microsoft.AspNetCore.Http;

namespace Rigging.Xds.Grpc.Server;

/// <summary>
/// The frame around every server call:
/// 1. check the request is gRPC over HTTP/2 (else an HTTP error: there is no gRPC to answer with);
/// 2. set the response headers, read <c>grpc-timeout</c> and build the call's cancellation;
/// 3. run the method;
/// 4. map the outcome to a status and send it as trailers (or trailers-only when nothing was written).
/// </summary>
internal static class GrpcServerCall
{
    /// <summary>HttpContext.Items key of a CancellationToken that fires when the hosting server stops.</summary>
    public const string StoppingKey = "rigging.grpc.stopping";

    public static async Task RunAsync(
        HttpContext http, GrpcServerOptions options, string path, Func<GrpcServerCallContext, GrpcServerOptions, Task> method)
    {
        // 1. "Request-Headers → Call-Definition": POST, HTTP/2, content-type application/grpc[+proto].
        if (!HttpMethods.IsPost(http.Request.Method) || !GrpcProtocol.IsGrpcContentType(http.Request.ContentType))
        {
            http.Response.StatusCode = StatusCodes.Status415UnsupportedMediaType;
            return;
        }

        if (!string.Equals(http.Request.Protocol, "HTTP/2", StringComparison.Ordinal))
        {
            http.Response.StatusCode = StatusCodes.Status426UpgradeRequired;
            return;
        }

        // 2. Headers, deadline, cancellation.
        http.Response.StatusCode = StatusCodes.Status200OK;
        http.Response.ContentType = GrpcProtocol.ContentType;
        http.Response.Headers[GrpcProtocol.AcceptEncodingHeader] = "identity";

        GrpcStatus status;
        DateTimeOffset? deadline = null;
        using var deadlineCts = new CancellationTokenSource(Timeout.InfiniteTimeSpan, options.TimeProvider);
        var stopping = http.Items.TryGetValue(StoppingKey, out var token) && token is CancellationToken t ? t : CancellationToken.None;
        using var callCts = CancellationTokenSource.CreateLinkedTokenSource(http.RequestAborted, deadlineCts.Token, stopping);
        if (GrpcTimeout.TryParse(http.Request.Headers[GrpcProtocol.TimeoutHeader], out TimeSpan timeout))
        {
            deadline = options.TimeProvider.GetUtcNow() + timeout;
            deadlineCts.CancelAfter(timeout);
        }

        string? encoding = http.Request.Headers[GrpcProtocol.EncodingHeader];
        try
        {
            if (encoding is not null && encoding != "identity")
            {
                throw new GrpcStatusException(GrpcStatusCode.Unimplemented, $"Message encoding '{encoding}' is not supported; use identity.");
            }

            // 3. The method.
            await method(new GrpcServerCallContext(http, path, deadline, callCts.Token), options).ConfigureAwait(false);
            status = GrpcStatus.Ok;
        }
        catch (Exception) when (http.RequestAborted.IsCancellationRequested)
        {
            return; // The client reset the stream or the connection is gone: nobody to tell.
        }
        catch (Exception) when (stopping.IsCancellationRequested)
        {
            status = new GrpcStatus(GrpcStatusCode.Unavailable, "The server is shutting down.");
        }
        catch (Exception) when (deadlineCts.IsCancellationRequested)
        {
            status = new GrpcStatus(GrpcStatusCode.DeadlineExceeded, "Deadline exceeded.");
        }
        catch (GrpcStatusException ex)
        {
            status = ex.Status;
        }
        catch (InvalidProtocolBufferException ex)
        {
            status = new GrpcStatus(GrpcStatusCode.Internal, "Malformed message: " + ex.Message);
        }
        catch (OperationCanceledException)
        {
            status = new GrpcStatus(GrpcStatusCode.Cancelled, "The call was cancelled.");
        }
        catch (IOException ex)
        {
            status = new GrpcStatus(GrpcStatusCode.Unavailable, "Transport error: " + ex.Message);
        }
#pragma warning disable CA1031 // A handler's failure becomes the call's status; the server goes on.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            status = new GrpcStatus(GrpcStatusCode.Unknown, "Exception was thrown by handler: " + ex.GetType().Name);
        }

        // 4. Status.
        WriteStatus(http, status);
    }

    private static void WriteStatus(HttpContext http, GrpcStatus status)
    {
        string code = ((int)status.Code).ToString(System.Globalization.CultureInfo.InvariantCulture);
        if (!http.Response.HasStarted)
        {
            // Trailers-Only: the status rides in the single HEADERS frame that ends the stream.
            http.Response.Headers[GrpcProtocol.StatusHeader] = code;
            if (status.Message.Length > 0)
            {
                http.Response.Headers[GrpcProtocol.MessageHeader] = GrpcMessageEncoding.Encode(status.Message);
            }

            return;
        }

        try
        {
            http.Response.AppendTrailer(GrpcProtocol.StatusHeader, code);
            if (status.Message.Length > 0)
            {
                http.Response.AppendTrailer(GrpcProtocol.MessageHeader, GrpcMessageEncoding.Encode(status.Message));
            }
        }
        catch (InvalidOperationException)
        {
            // Trailers already sent or unsupported on this connection: the stream is already ending.
        }
    }
}
