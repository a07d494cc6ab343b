using System.Buffers;
using System.IO.Pipelines;

namespace Rigging.Proxy.Security.Tls;

/// <summary>
/// A connection's transport pipes seen as a Stream, so SslStream can run over bytes the listener has already
/// peeked at (the sniffed ClientHello is still unread in the pipe). Disposing does not complete the pipes:
/// Kestrel owns them.
/// </summary>
internal sealed class DuplexPipeStream(IDuplexPipe transport) : Stream
{
    public override bool CanRead => true;

    public override bool CanWrite => true;

    public override bool CanSeek => false;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> destination, CancellationToken cancellationToken = default)
    {
        while (true)
        {
            var result = await transport.Input.ReadAsync(cancellationToken).ConfigureAwait(false);
            var buffer = result.Buffer;
            if (!buffer.IsEmpty)
            {
                var length = (int)Math.Min(buffer.Length, destination.Length);
                buffer.Slice(0, length).CopyTo(destination.Span);
                transport.Input.AdvanceTo(buffer.GetPosition(length));
                return length;
            }
            transport.Input.AdvanceTo(buffer.End);
            if (result.IsCompleted || result.IsCanceled) return 0;
        }
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> source, CancellationToken cancellationToken = default)
    {
        var result = await transport.Output.WriteAsync(source, cancellationToken).ConfigureAwait(false);
        if (result.IsCompleted) throw new IOException("the connection is closed");
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override Task FlushAsync(CancellationToken cancellationToken) => transport.Output.FlushAsync(cancellationToken).AsTask();

    public override void Flush()
    {
        // Writes go out with WriteAsync; SslStream only calls the async forms.
    }

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException("asynchronous reads only");

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException("asynchronous writes only");

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();
}
