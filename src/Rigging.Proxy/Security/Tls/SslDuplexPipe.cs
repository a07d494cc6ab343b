using System.IO.Pipelines;
using System.Net.Security;

namespace Rigging.Proxy.Security.Tls;

/// <summary>The decrypted side of a terminated TLS connection, as the pipes Kestrel's parsers and the TCP proxy read.</summary>
internal sealed class SslDuplexPipe(SslStream ssl) : IDuplexPipe, IAsyncDisposable
{
    public SslStream Stream { get; } = ssl;

    public PipeReader Input { get; } = PipeReader.Create(ssl, new StreamPipeReaderOptions(leaveOpen: true));

    public PipeWriter Output { get; } = PipeWriter.Create(ssl, new StreamPipeWriterOptions(leaveOpen: true));

    public async ValueTask DisposeAsync()
    {
        await Input.CompleteAsync().ConfigureAwait(false);
        try
        {
            await Output.CompleteAsync().ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException)
        {
            // The peer is gone; nothing left to flush.
        }
        await Stream.DisposeAsync().ConfigureAwait(false);
    }
}
