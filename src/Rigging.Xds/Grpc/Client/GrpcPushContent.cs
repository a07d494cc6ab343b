using System.Net;

namespace Rigging.Xds.Grpc.Client;

/// <summary>
/// A request body written while the call runs: HttpClient hands us its stream and keeps the request open
/// until <see cref="Complete"/>, which is what makes HTTP/2 requests duplex.
/// </summary>
internal sealed class GrpcPushContent : HttpContent
{
    private readonly TaskCompletionSource<Stream> _stream = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _complete = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public GrpcPushContent()
    {
        Headers.TryAddWithoutValidation("Content-Type", GrpcProtocol.ContentType);
    }

    public Task<Stream> Stream => _stream.Task;

    public void Complete() => _complete.TrySetResult();

    public void Abort(Exception error)
    {
        _stream.TrySetException(error);
        _complete.TrySetException(error);
    }

    protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) =>
        SerializeToStreamAsync(stream, context, CancellationToken.None);

    protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context, CancellationToken cancellationToken)
    {
        _stream.TrySetResult(stream);
        await using (cancellationToken.Register(static s => ((TaskCompletionSource)s!).TrySetCanceled(), _complete))
        {
            await _complete.Task.ConfigureAwait(false);
        }
    }

    protected override bool TryComputeLength(out long length)
    {
        length = -1;
        return false;
    }
}
