using System.Buffers;

namespace Rigging.Proxy.Http.Forwarding;

/// <summary>
/// A request body that streams to the first attempt while its first <see cref="Limit"/> bytes are kept, so a
/// retry (or a mirror) can replay it, as Envoy buffers for retries. A body longer than the limit streams on but
/// can no longer be replayed (<see cref="CanReplay"/> turns false). Each attempt reads through its own
/// <see cref="Attempt"/>: the kept bytes first, then the rest of the downstream body, which it keeps too.
/// </summary>
internal sealed class ReplayableBody(Stream source) : IDisposable
{
    /// <summary>Envoy's per_request_buffer_limit for retries is of this order; bodies beyond it are not retried.</summary>
    public const int Limit = 64 * 1024;

    private byte[]? _kept = ArrayPool<byte>.Shared.Rent(Limit);
    private int _length;
    private bool _overflowed;
    private int _generation;
    private Task<int>? _reading;

    /// <summary>True while every byte read so far has been kept.</summary>
    public bool CanReplay => !_overflowed && _kept is not null;

    /// <summary>True when the downstream body has ended within the limit (the whole body is kept).</summary>
    public bool Complete { get; private set; }

    public ReadOnlyMemory<byte> Kept => _kept is null ? default : _kept.AsMemory(0, _length);

    /// <summary>A stream for the next attempt; streams of earlier attempts stop working.</summary>
    public async ValueTask<Stream> NextAttemptAsync()
    {
        // A read an earlier attempt left running must land (and be kept) before the next attempt reads on.
        if (_reading is { } pending)
        {
            try
            {
                await pending.ConfigureAwait(false);
            }
            catch (Exception e) when (e is IOException or OperationCanceledException or ObjectDisposedException)
            {
                _overflowed = true;
            }
        }
        return new Attempt(this, ++_generation);
    }

    private async ValueTask<int> ReadAsync(Attempt attempt, Memory<byte> destination, CancellationToken cancellation)
    {
        if (attempt.Generation != _generation) throw new IOException("the request body was handed to a later attempt");
        if (attempt.Position < _length && _kept is not null)
        {
            var n = Math.Min(destination.Length, _length - (int)attempt.Position);
            _kept.AsMemory((int)attempt.Position, n).CopyTo(destination);
            attempt.Position += n;
            return n;
        }
        if (Complete) return 0;
        var read = source.ReadAsync(destination, cancellation).AsTask();
        _reading = read;
        var count = await read.ConfigureAwait(false);
        _reading = null;
        if (count == 0)
        {
            if (!_overflowed) Complete = true;
            return 0;
        }
        if (!_overflowed && _kept is not null && attempt.Position == _length && _length + count <= Limit)
        {
            destination.Span[..count].CopyTo(_kept.AsSpan(_length));
            _length += count;
        }
        else
        {
            _overflowed = true;
        }
        attempt.Position += count;
        return count;
    }

    public void Dispose()
    {
        var kept = Interlocked.Exchange(ref _kept, null);
        if (kept is not null) ArrayPool<byte>.Shared.Return(kept);
    }

    private sealed class Attempt(ReplayableBody owner, int generation) : Stream
    {
        public int Generation { get; } = generation;

        public override long Position { get; set; }

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            owner.ReadAsync(this, buffer, cancellationToken);

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException("the request body is read asynchronously");

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
