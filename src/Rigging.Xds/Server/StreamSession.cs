using System.Threading.Channels;
using Envoy.Config.Core.V3;
using Google.Protobuf;
using Microsoft.Extensions.Logging;
using Rigging.Xds.Cache;
using Rigging.Xds.Diagnostics;
using Rigging.Xds.Grpc;

namespace Rigging.Xds.Server;

/// <summary>
/// What SotW and delta streams share: one loop consumes one channel of events, either a request from the
/// client or a wake-up (null) from the cache. Wake-ups coalesce, and a stream is only woken for a change in a
/// type it subscribes to, so setting a snapshot costs nothing for streams it does not concern.
/// </summary>
internal sealed class StreamSession<TRequest>(SnapshotCache cache, string? fixedTypeUrl, ILogger logger, string kind, string peer)
    : ISnapshotWatcher, IDisposable
    where TRequest : class, IMessage<TRequest>
{
    private readonly Channel<TRequest?> _events = Channel.CreateUnbounded<TRequest?>(new UnboundedChannelOptions { SingleReader = true });
    private volatile Snapshot? _latest;
    private volatile string[] _subscribedTypes = [];
    private int _wakePending;
    private IDisposable? _watch;

    public string? NodeId { get; private set; }

    public NodeStatusTracker? Status { get; private set; }

    public Snapshot? Latest => _latest;

    /// <summary>
    /// The stream's loop: drain every request and wake-up that is ready (<paramref name="handle"/> each request),
    /// then <paramref name="respond"/> once, so a burst of requests and changes yields one round of responses.
    /// </summary>
    public async Task RunAsync(GrpcStreamReader<TRequest> requests, Action<TRequest> handle, Func<Task> respond, CancellationToken cancellationToken)
    {
        Task pump = PumpAsync(requests, cancellationToken);
        while (await _events.Reader.WaitToReadAsync(cancellationToken).ConfigureAwait(false))
        {
            while (_events.Reader.TryRead(out var request))
            {
                if (request is null)
                {
                    Interlocked.Exchange(ref _wakePending, 0);
                }
                else
                {
                    handle(request);
                }
            }

            await respond().ConfigureAwait(false);
        }

        await pump.ConfigureAwait(false);
    }

    /// <summary>Reads requests into the channel until the client half-closes or the stream fails.</summary>
    private async Task PumpAsync(GrpcStreamReader<TRequest> reader, CancellationToken cancellationToken)
    {
        try
        {
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false) is { } request)
            {
                _events.Writer.TryWrite(request);
            }

            _events.Writer.TryComplete();
        }
#pragma warning disable CA1031 // handed to the loop, which ends the stream with it
        catch (Exception ex)
#pragma warning restore CA1031
        {
            _events.Writer.TryComplete(ex);
        }
    }

    /// <summary>Called for each request: checks the node (first request) and the type URL.</summary>
    public string Accept(Node? node, string typeUrl)
    {
        if (NodeId is null)
        {
            if (string.IsNullOrEmpty(node?.Id))
            {
                throw new GrpcStatusException(GrpcStatusCode.InvalidArgument, "The first request of a stream must carry node.id.");
            }

            NodeId = node.Id;
            _watch = cache.Watch(node, this, out var current, out var status);
            _latest ??= current;
            Status = status;
            Status.StreamOpened();
            XdsLog.StreamOpened(logger, kind, NodeId, peer);
        }

        Status!.Seen();
        if (string.IsNullOrEmpty(typeUrl) && fixedTypeUrl is not null)
        {
            return fixedTypeUrl;
        }

        if (fixedTypeUrl is not null && typeUrl != fixedTypeUrl)
        {
            throw new GrpcStatusException(GrpcStatusCode.InvalidArgument, $"This service serves {fixedTypeUrl}, not '{typeUrl}'.");
        }

        if (!TypeUrls.IsKnown(typeUrl))
        {
            throw new GrpcStatusException(
                GrpcStatusCode.InvalidArgument,
                $"Unknown type URL '{typeUrl}'; this server serves {string.Join(", ", TypeUrls.ResponseOrder)}.");
        }

        return typeUrl;
    }

    public void SetSubscribedTypes(IEnumerable<string> typeUrls) => _subscribedTypes = typeUrls.ToArray();

    public void OnSnapshot(Snapshot snapshot, IReadOnlySet<string> changedTypes)
    {
        _latest = snapshot;
        bool concerned = false;
        foreach (string typeUrl in _subscribedTypes)
        {
            concerned |= changedTypes.Contains(typeUrl);
        }

        if (concerned && Interlocked.Exchange(ref _wakePending, 1) == 0)
        {
            _events.Writer.TryWrite(null);
        }
    }

    public void Dispose()
    {
        Status?.StreamClosed();
        _watch?.Dispose();
        if (NodeId is not null)
        {
            XdsLog.StreamClosed(logger, kind, NodeId);
        }

        _events.Writer.TryComplete();
    }
}
