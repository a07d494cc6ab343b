using System.IO.Pipelines;
using System.Net;
using System.Net.Http.Headers;
using Google.Protobuf;

namespace Rigging.Xds.Grpc.Client;

/// <summary>
/// One client call with a request stream and a response stream. Writes come from one task at a time, reads
/// from one task at a time (the two may run concurrently). Dispose before the end cancels the call.
/// </summary>
public sealed class GrpcDuplexCall<TRequest, TResponse> : IAsyncDisposable
    where TRequest : class, IMessage<TRequest>
    where TResponse : class, IMessage<TResponse>
{
    private readonly GrpcPushContent _content;
    private readonly GrpcMethod<TRequest, TResponse> _method;
    private readonly GrpcChannelOptions _channelOptions;
    private readonly CancellationToken _userToken;
    private readonly CancellationTokenSource _deadline;
    private readonly CancellationTokenSource _call;
    private readonly Task<HttpResponseMessage> _responseTask;
    private PipeWriter? _pipeWriter;
    private GrpcStreamWriter<TRequest>? _writer;
    private GrpcStreamReader<TResponse>? _reader;
    private HttpResponseMessage? _response;
    private bool _requestCompleted;

    internal GrpcDuplexCall(
        HttpMessageInvoker invoker, HttpRequestMessage request, GrpcPushContent content,
        GrpcMethod<TRequest, TResponse> method, GrpcChannelOptions channelOptions, GrpcCallOptions callOptions)
    {
        _content = content;
        _method = method;
        _channelOptions = channelOptions;
        _userToken = callOptions.CancellationToken;
        _deadline = new CancellationTokenSource(Timeout.InfiniteTimeSpan, channelOptions.TimeProvider);
        if (callOptions.Timeout is { } timeout)
        {
            _deadline.CancelAfter(timeout);
        }

        _call = CancellationTokenSource.CreateLinkedTokenSource(_userToken, _deadline.Token);
        _responseTask = invoker.SendAsync(request, _call.Token);
    }

    /// <summary>The final status, once the response stream has ended (or the call failed).</summary>
    public GrpcStatus? Status { get; private set; }

    /// <summary>The response headers (custom metadata), once they have arrived.</summary>
    public HttpResponseHeaders? ResponseHeaders => _response?.Headers;

    public async ValueTask WriteAsync(TRequest message)
    {
        ObjectDisposedException.ThrowIf(_requestCompleted, this);
        try
        {
            if (_writer is null)
            {
                // The handler asks for the body once the stream is open; a failed connect ends the response first.
                Task first = await Task.WhenAny(_content.Stream, _responseTask).ConfigureAwait(false);
                if (first != _content.Stream)
                {
                    await EnsureResponseAsync().ConfigureAwait(false);
                    throw new GrpcStatusException(Status ?? new GrpcStatus(GrpcStatusCode.Internal, "The server ended the call before the request was sent."));
                }

                Stream stream = await _content.Stream.ConfigureAwait(false);
                _pipeWriter = PipeWriter.Create(stream, new StreamPipeWriterOptions(leaveOpen: true));
                _writer = new GrpcStreamWriter<TRequest>(_pipeWriter, _channelOptions.WriteTimeout, _channelOptions.TimeProvider, _call.Token);
            }

            await _writer.WriteAsync(message).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not GrpcStatusException)
        {
            throw Fail(ex);
        }
    }

    /// <summary>Half-closes the request side (END_STREAM); responses keep coming.</summary>
    public async ValueTask CompleteRequestAsync()
    {
        if (_requestCompleted)
        {
            return;
        }

        _requestCompleted = true;
        if (_pipeWriter is not null)
        {
            try
            {
                await _pipeWriter.CompleteAsync().ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is IOException or OperationCanceledException)
            {
                // The call is ending anyway; ReadAsync reports its status.
            }
        }

        _content.Complete();
    }

    /// <summary>The next response, or null when the server ended the stream with OK.</summary>
    /// <exception cref="GrpcStatusException">The call ended with a non-OK status.</exception>
    public async ValueTask<TResponse?> ReadAsync(CancellationToken cancellationToken = default)
    {
        try
        {
            if (_reader is null)
            {
                await EnsureResponseAsync().ConfigureAwait(false);
                if (Status is { } early)
                {
                    return early.Code == GrpcStatusCode.Ok ? null : throw new GrpcStatusException(early);
                }

                Stream body = await _response!.Content.ReadAsStreamAsync(_call.Token).ConfigureAwait(false);
                _reader = new GrpcStreamReader<TResponse>(PipeReader.Create(body), _method.ResponseParser, _channelOptions.MaxReceiveMessageSize);
            }

            if (Status is { } done)
            {
                return done.Code == GrpcStatusCode.Ok ? null : throw new GrpcStatusException(done);
            }

            TResponse? message;
            if (!cancellationToken.CanBeCanceled || cancellationToken == _userToken)
            {
                message = await _reader.ReadAsync(_call.Token).ConfigureAwait(false);
            }
            else
            {
                using var linked = CancellationTokenSource.CreateLinkedTokenSource(_call.Token, cancellationToken);
                message = await _reader.ReadAsync(linked.Token).ConfigureAwait(false);
            }

            if (message is not null)
            {
                return message;
            }

            Status = ReadStatus(_response!.TrailingHeaders)
                ?? new GrpcStatus(GrpcStatusCode.Internal, "The server ended the stream without a grpc-status.");
            return Status.Value.Code == GrpcStatusCode.Ok ? null : throw new GrpcStatusException(Status.Value);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested && !_call.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception ex) when (ex is not GrpcStatusException)
        {
            throw Fail(ex);
        }
        catch (GrpcStatusException ex)
        {
            Status ??= ex.Status;
            throw;
        }
    }

    private async Task EnsureResponseAsync()
    {
        if (_response is not null)
        {
            return;
        }

        _response = await _responseTask.ConfigureAwait(false);
        if (_response.StatusCode != HttpStatusCode.OK)
        {
            Status = new GrpcStatus(FromHttpStatus(_response.StatusCode), $"HTTP status {(int)_response.StatusCode} from the server.");
            return;
        }

        if (ReadStatus(_response.Headers) is { } trailersOnly)
        {
            Status = trailersOnly;
            return;
        }

        if (!GrpcProtocol.IsGrpcContentType(_response.Content.Headers.ContentType?.MediaType))
        {
            Status = new GrpcStatus(GrpcStatusCode.Unknown, $"The response content-type '{_response.Content.Headers.ContentType}' is not gRPC.");
        }
    }

    private static GrpcStatus? ReadStatus(HttpHeaders headers)
    {
        if (!headers.TryGetValues(GrpcProtocol.StatusHeader, out var codes))
        {
            return null;
        }

        string code = codes.FirstOrDefault() ?? string.Empty;
        string message = headers.TryGetValues(GrpcProtocol.MessageHeader, out var messages)
            ? GrpcMessageEncoding.Decode(messages.FirstOrDefault())
            : string.Empty;
        return int.TryParse(code, System.Globalization.CultureInfo.InvariantCulture, out int value)
            ? new GrpcStatus((GrpcStatusCode)value, message)
            : new GrpcStatus(GrpcStatusCode.Unknown, $"Unparseable grpc-status '{code}'.");
    }

    private GrpcStatusException Fail(Exception ex)
    {
        GrpcStatus status = _deadline.IsCancellationRequested
            ? new GrpcStatus(GrpcStatusCode.DeadlineExceeded, "Deadline exceeded.")
            : _userToken.IsCancellationRequested
                ? new GrpcStatus(GrpcStatusCode.Cancelled, "The call was cancelled.")
                : FromTransport(ex);
        Status ??= status;
        return new GrpcStatusException(Status.Value);
    }

    private static GrpcStatus FromTransport(Exception ex)
    {
        for (Exception? e = ex; e is not null; e = e.InnerException)
        {
            if (e is HttpProtocolException protocol)
            {
                // HTTP/2 RST_STREAM codes, mapped as in doc/PROTOCOL-HTTP2.md "Errors".
                GrpcStatusCode code = protocol.ErrorCode switch
                {
                    0x7 => GrpcStatusCode.Unavailable, // REFUSED_STREAM
                    0x8 => GrpcStatusCode.Cancelled, // CANCEL
                    0xb => GrpcStatusCode.ResourceExhausted, // ENHANCE_YOUR_CALM
                    0xc => GrpcStatusCode.PermissionDenied, // INADEQUATE_SECURITY
                    _ => GrpcStatusCode.Internal,
                };
                return new GrpcStatus(code, $"The stream was reset (HTTP/2 error 0x{protocol.ErrorCode:x}).");
            }
        }

        return ex is OperationCanceledException
            ? new GrpcStatus(GrpcStatusCode.Cancelled, "The call was cancelled.")
            : new GrpcStatus(GrpcStatusCode.Unavailable, ex.Message);
    }

    private static GrpcStatusCode FromHttpStatus(HttpStatusCode status) => (int)status switch
    {
        400 => GrpcStatusCode.Internal,
        401 => GrpcStatusCode.Unauthenticated,
        403 => GrpcStatusCode.PermissionDenied,
        404 => GrpcStatusCode.Unimplemented,
        429 or 502 or 503 or 504 => GrpcStatusCode.Unavailable,
        _ => GrpcStatusCode.Unknown,
    };

    public async ValueTask DisposeAsync()
    {
        if (Status is null)
        {
            await _call.CancelAsync().ConfigureAwait(false); // RST_STREAM(CANCEL) if still open
        }

        _content.Abort(new OperationCanceledException("The call was disposed."));
        _writer?.Dispose();
        _response?.Dispose();
        try
        {
            await _responseTask.ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is OperationCanceledException or HttpRequestException or IOException)
        {
            // Already reported through Status, or nobody asked.
        }

        _call.Dispose();
        _deadline.Dispose();
    }
}
