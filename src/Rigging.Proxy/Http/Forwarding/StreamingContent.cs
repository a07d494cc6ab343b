using System.Buffers;
using System.Net;

namespace Rigging.Proxy.Http.Forwarding;

/// <summary>
/// A request body that streams to the upstream as it arrives: each chunk read from downstream is written and
/// flushed at once (StreamContent would let SocketsHttpHandler hold small writes back, which stalls gRPC
/// streams and slow uploads). Its length is unknown unless the request's Content-Length header is copied on.
/// </summary>
internal sealed class StreamingContent(Stream source) : HttpContent
{
    private const int BufferSize = 16 * 1024;

    protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) => SerializeToStreamAsync(stream, context, CancellationToken.None);

    protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context, CancellationToken cancellationToken)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
        try
        {
            while (true)
            {
                var read = await source.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
                if (read == 0) break;
                await stream.WriteAsync(buffer.AsMemory(0, read), cancellationToken).ConfigureAwait(false);
                await stream.FlushAsync(cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    protected override bool TryComputeLength(out long length)
    {
        length = 0;
        return false;
    }
}
