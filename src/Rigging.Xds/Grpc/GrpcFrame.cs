using System.Buffers;
using System.Buffers.Binary;
using Google.Protobuf;

namespace Rigging.Xds.Grpc;

/// <summary>What <see cref="GrpcFrame.TryRead"/> found at the start of a buffer.</summary>
internal enum GrpcFrameResult
{
    Complete,
    Incomplete,
    TooLarge,
    Compressed,
}

/// <summary>
/// Reads and writes gRPC length-prefixed messages: a 1-byte compressed flag, a 4-byte big-endian length, the
/// message. Neither direction allocates: reading slices the sequence, writing goes straight into the buffer writer.
/// </summary>
internal static class GrpcFrame
{
    /// <summary>Finds one whole frame at the start of <paramref name="buffer"/>.</summary>
    /// <param name="buffer">Bytes received so far.</param>
    /// <param name="maxMessageSize">Messages longer than this are refused before they are buffered.</param>
    /// <param name="payload">The message bytes when the result is Complete.</param>
    /// <param name="frameEnd">Where the frame ends when the result is Complete.</param>
    /// <param name="messageLength">The declared length (also set for TooLarge).</param>
    public static GrpcFrameResult TryRead(
        in ReadOnlySequence<byte> buffer, int maxMessageSize,
        out ReadOnlySequence<byte> payload, out SequencePosition frameEnd, out long messageLength)
    {
        payload = default;
        frameEnd = buffer.Start;
        messageLength = 0;
        if (buffer.Length < GrpcProtocol.FrameHeaderSize)
        {
            return GrpcFrameResult.Incomplete;
        }

        Span<byte> header = stackalloc byte[GrpcProtocol.FrameHeaderSize];
        buffer.Slice(0, GrpcProtocol.FrameHeaderSize).CopyTo(header);
        messageLength = BinaryPrimitives.ReadUInt32BigEndian(header[1..]);
        if (header[0] != 0)
        {
            // "Compressed-Flag 1 ... MUST be 0 if no grpc-encoding was negotiated"; we negotiate only identity.
            return GrpcFrameResult.Compressed;
        }

        if (messageLength > maxMessageSize)
        {
            return GrpcFrameResult.TooLarge;
        }

        if (buffer.Length - GrpcProtocol.FrameHeaderSize < messageLength)
        {
            return GrpcFrameResult.Incomplete;
        }

        payload = buffer.Slice(GrpcProtocol.FrameHeaderSize, messageLength);
        frameEnd = payload.End;
        return GrpcFrameResult.Complete;
    }

    /// <summary>Writes one frame holding <paramref name="message"/>.</summary>
    public static void Write(IBufferWriter<byte> writer, IMessage message)
    {
        int size = message.CalculateSize();
        Span<byte> header = writer.GetSpan(GrpcProtocol.FrameHeaderSize);
        header[0] = 0;
        BinaryPrimitives.WriteUInt32BigEndian(header[1..], (uint)size);
        writer.Advance(GrpcProtocol.FrameHeaderSize);
        if (size > 0)
        {
            message.WriteTo(writer);
        }
    }

    /// <summary>Writes one frame holding a message already serialized as <paramref name="head"/> then <paramref name="tail"/>.</summary>
    public static void Write(IBufferWriter<byte> writer, ReadOnlySpan<byte> head, ReadOnlySpan<byte> tail)
    {
        Span<byte> header = writer.GetSpan(GrpcProtocol.FrameHeaderSize);
        header[0] = 0;
        BinaryPrimitives.WriteUInt32BigEndian(header[1..], (uint)(head.Length + tail.Length));
        writer.Advance(GrpcProtocol.FrameHeaderSize);
        writer.Write(head);
        writer.Write(tail);
    }

    public static GrpcStatusException ToException(GrpcFrameResult result, long length, int maxMessageSize) => result switch
    {
        GrpcFrameResult.TooLarge => new GrpcStatusException(
            GrpcStatusCode.ResourceExhausted,
            $"Received message larger than max ({length} vs. {maxMessageSize})"),
        GrpcFrameResult.Compressed => new GrpcStatusException(
            GrpcStatusCode.Internal,
            "Received a compressed message but no grpc-encoding was negotiated"),
        _ => new GrpcStatusException(GrpcStatusCode.Internal, "Incomplete message: the stream ended inside a frame"),
    };
}
