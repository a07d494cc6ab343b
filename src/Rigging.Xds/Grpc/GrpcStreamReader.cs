using System.Buffers;
using System.IO.Pipelines;
using Google.Protobuf;

namespace Rigging.Xds.Grpc;

/// <summary>
/// Reads length-prefixed messages from a pipe. The parse loop slices the buffer and always calls
/// <c>AdvanceTo(consumed, examined)</c>, so a partial frame waits for more bytes without copying.
/// Not thread-safe: one reader at a time.
/// </summary>
public sealed class GrpcStreamReader<T>
    where T : class, IMessage<T>
{
    private readonly PipeReader _reader;
    private readonly MessageParser<T> _parser;
    private readonly int _maxMessageSize;

    internal GrpcStreamReader(PipeReader reader, MessageParser<T> parser, int maxMessageSize)
    {
        _reader = reader;
        _parser = parser;
        _maxMessageSize = maxMessageSize;
    }

    /// <summary>The next message, or null when the peer has half-closed its side cleanly.</summary>
    /// <exception cref="GrpcStatusException">A malformed, compressed, oversized or unparseable message.</exception>
    public async ValueTask<T?> ReadAsync(CancellationToken cancellationToken = default)
    {
        while (true)
        {
            ReadResult result = await _reader.ReadAsync(cancellationToken).ConfigureAwait(false);
            if (result.IsCanceled)
            {
                throw new OperationCanceledException("The read was cancelled.");
            }

            ReadOnlySequence<byte> buffer = result.Buffer;
            SequencePosition consumed = buffer.Start;
            SequencePosition examined = buffer.End;
            try
            {
                GrpcFrameResult frame = GrpcFrame.TryRead(buffer, _maxMessageSize, out var payload, out var end, out long length);
                if (frame == GrpcFrameResult.Complete)
                {
                    T message = Parse(payload);
                    consumed = end;
                    examined = end;
                    return message;
                }

                if (frame != GrpcFrameResult.Incomplete)
                {
                    throw GrpcFrame.ToException(frame, length, _maxMessageSize);
                }

                if (result.IsCompleted)
                {
                    if (buffer.IsEmpty)
                    {
                        return null;
                    }

                    throw GrpcFrame.ToException(GrpcFrameResult.Incomplete, length, _maxMessageSize);
                }
            }
            finally
            {
                _reader.AdvanceTo(consumed, examined);
            }
        }
    }

    private T Parse(in ReadOnlySequence<byte> payload)
    {
        try
        {
            return _parser.ParseFrom(payload);
        }
        catch (InvalidProtocolBufferException ex)
        {
            throw new GrpcStatusException(GrpcStatusCode.Internal, $"Could not parse {typeof(T).Name}: {ex.Message}");
        }
    }
}
