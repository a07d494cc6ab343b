using System.Threading.Channels;
using Google.Protobuf;
using Rigging.Xds.Grpc;
using Rigging.Xds.Grpc.Client;

namespace Rigging.Xds.Tests.Infrastructure;

/// <summary>
/// A raw xDS stream for protocol tests: a background reader queues responses, so a test can wait for the
/// next one with a timeout, or check that none comes, without cancelling the HTTP/2 stream.
/// </summary>
internal sealed class XdsStream<TRequest, TResponse> : IAsyncDisposable
    where TRequest : class, IMessage<TRequest>
    where TResponse : class, IMessage<TResponse>
{
    private readonly GrpcDuplexCall<TRequest, TResponse> _call;
    private readonly Channel<TResponse> _responses = Channel.CreateUnbounded<TResponse>();
    private readonly Task _reader;

    public XdsStream(GrpcChannel channel, GrpcMethod<TRequest, TResponse> method)
    {
        _call = channel.StartDuplex(method);
        _reader = Task.Run(async () =>
        {
            try
            {
                while (await _call.ReadAsync() is { } response)
                {
                    _responses.Writer.TryWrite(response);
                }

                _responses.Writer.TryComplete();
            }
            catch (Exception ex)
            {
                _responses.Writer.TryComplete(ex);
            }
        });
    }

    public GrpcStatus? Status => _call.Status;

    public ValueTask SendAsync(TRequest request) => _call.WriteAsync(request);

    public async Task<TResponse> NextAsync(double seconds = 10)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(seconds));
        return await _responses.Reader.ReadAsync(timeout.Token);
    }

    /// <summary>True when no response arrives within the window.</summary>
    public async Task<bool> NothingWithinAsync(double seconds)
    {
        await Task.Delay(TimeSpan.FromSeconds(seconds));
        return !_responses.Reader.TryPeek(out _);
    }

    /// <summary>Waits for the stream to end and returns its status.</summary>
    public async Task<GrpcStatus> EndAsync(double seconds = 10)
    {
        await _reader.WaitAsync(TimeSpan.FromSeconds(seconds));
        return _call.Status ?? new GrpcStatus(GrpcStatusCode.Unknown, "no status");
    }

    public async ValueTask DisposeAsync()
    {
        await _call.DisposeAsync();
        try
        {
            await _reader.WaitAsync(TimeSpan.FromSeconds(5));
        }
        catch (Exception ex) when (ex is TimeoutException or GrpcStatusException or OperationCanceledException)
        {
            // ended by the dispose
        }
    }
}
