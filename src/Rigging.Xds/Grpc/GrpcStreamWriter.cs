using System.IO.Pipelines;
using Google.Protobuf;

namespace Rigging.Xds.Grpc;

/// <summary>
/// Writes length-prefixed messages to a pipe and flushes each one. A flush that does not complete within the
/// write timeout (a peer that never reads) fails the call instead of holding it forever. Not thread-safe.
/// </summary>
public sealed class GrpcStreamWriter<T> : IDisposable
    where T : class, IMessage<T>
{
    private readonly PipeWriter _writer;
    private readonly TimeSpan _writeTimeout;
    private readonly CancellationTokenSource _timeout;
    private readonly CancellationTokenSource _linked;
    private readonly Func<ValueTask>? _beforeFirstWrite;
    private bool _started;

    internal GrpcStreamWriter(PipeWriter writer, TimeSpan writeTimeout, TimeProvider timeProvider, CancellationToken callToken, Func<ValueTask>? beforeFirstWrite = null)
    {
        _writer = writer;
        _writeTimeout = writeTimeout;
        _timeout = new CancellationTokenSource(Timeout.InfiniteTimeSpan, timeProvider);
        _linked = CancellationTokenSource.CreateLinkedTokenSource(callToken, _timeout.Token);
        _beforeFirstWrite = beforeFirstWrite;
    }

    /// <summary>True once a write has timed out because the peer stopped reading.</summary>
    public bool TimedOut { get; private set; }

    public async ValueTask WriteAsync(T message)
    {
        await StartAsync().ConfigureAwait(false);
        GrpcFrame.Write(_writer, message);
        await FlushAsync().ConfigureAwait(false);
    }

    /// <summary>
    /// Writes one message that is already serialized, as <paramref name="head"/> followed by <paramref name="tail"/>
    /// (protobuf fields may come in any order, so a shared body plus a per-stream field is one valid message).
    /// The bytes are copied straight into the pipe; no message object is built.
    /// </summary>
    public async ValueTask WriteSerializedAsync(ReadOnlyMemory<byte> head, ReadOnlyMemory<byte> tail)
    {
        await StartAsync().ConfigureAwait(false);
        GrpcFrame.Write(_writer, head.Span, tail.Span);
        await FlushAsync().ConfigureAwait(false);
    }

    private async ValueTask StartAsync()
    {
        if (!_started)
        {
            _started = true;
            if (_beforeFirstWrite is not null)
            {
                await _beforeFirstWrite().ConfigureAwait(false);
            }
        }
    }

    private async ValueTask FlushAsync()
    {
        bool timed = _writeTimeout != Timeout.InfiniteTimeSpan;
        if (timed)
        {
            _timeout.CancelAfter(_writeTimeout);
        }

        try
        {
            FlushResult flush = await _writer.FlushAsync(_linked.Token).ConfigureAwait(false);
            if (flush.IsCanceled)
            {
                throw new OperationCanceledException(_linked.Token);
            }

            if (flush.IsCompleted)
            {
                throw new GrpcStatusException(GrpcStatusCode.Cancelled, "The peer closed the stream.");
            }
        }
        catch (OperationCanceledException) when (_timeout.IsCancellationRequested)
        {
            TimedOut = true;
            throw new GrpcStatusException(
                GrpcStatusCode.Unavailable, $"The peer did not read a message within {_writeTimeout.TotalSeconds:0.###} s.");
        }
        finally
        {
            if (timed && !_timeout.IsCancellationRequested)
            {
                _timeout.CancelAfter(Timeout.InfiniteTimeSpan);
            }
        }
    }

    public void Dispose()
    {
        _linked.Dispose();
        _timeout.Dispose();
    }
}
