using Envoy.Service.Discovery.V3;
using Rigging.Xds.Cache;
using Rigging.Xds.Diagnostics;
using Rigging.Xds.Grpc;
using Rigging.Xds.Grpc.Client;
using Rigging.Xds.Server;

namespace Rigging.Xds.Client;

/// <summary>
/// A state-of-the-world ADS client (the proxy's side of xDS):
/// 1. open StreamAggregatedResources and subscribe to every type (node on the first request, and the last
///    accepted version of each type so a restarted server knows what we hold);
/// 2. hand each response to the apply callback: accept → ACK with its version, reject → NACK with the reason,
///    keeping the last accepted version (the caller keeps serving its last good config);
/// 3. when the stream fails or ends, wait a jittered exponential backoff and go to 1.
/// </summary>
public sealed class AdsClient : IAsyncDisposable
{
    private readonly AdsClientOptions _options;
    private readonly AdsBackoff _backoff;
    private readonly CancellationTokenSource _stop = new();
    private readonly SemaphoreSlim _writeLock = new(1, 1);
    private readonly Lock _stateLock = new();
    private readonly Dictionary<string, List<string>> _subscriptions;
    private readonly Dictionary<string, string> _accepted = new(StringComparer.Ordinal);
    private volatile GrpcDuplexCall<DiscoveryRequest, DiscoveryResponse>? _call;
    private Task? _loop;
    private int _connects;

    public AdsClient(AdsClientOptions options)
    {
        _options = options;
        _backoff = new AdsBackoff(options.InitialBackoff, options.MaxBackoff, options.Random);
        _subscriptions = options.Subscriptions.ToDictionary(kv => kv.Key, kv => kv.Value.ToList(), StringComparer.Ordinal);
    }

    /// <summary>How many streams have been opened (1 + reconnects).</summary>
    public int Connects => Volatile.Read(ref _connects);

    /// <summary>The last error that ended a stream, if any.</summary>
    public string? LastError { get; private set; }

    /// <summary>The version of each type the apply callback last accepted.</summary>
    public IReadOnlyDictionary<string, string> AcceptedVersions
    {
        get
        {
            lock (_stateLock)
            {
                return new Dictionary<string, string>(_accepted, StringComparer.Ordinal);
            }
        }
    }

    public void Start() => _loop ??= Task.Run(() => RunAsync(_stop.Token));

    /// <summary>Changes the names wanted for a type (empty: every resource) and tells the server.</summary>
    public async Task SubscribeAsync(string typeUrl, IReadOnlyList<string> names)
    {
        lock (_stateLock)
        {
            _subscriptions[typeUrl] = names.ToList();
        }

        if (_call is { } call)
        {
            try
            {
                await SendAsync(call, Request(typeUrl, nonce: string.Empty, error: null)).ConfigureAwait(false);
            }
            catch (GrpcStatusException)
            {
                // The stream is failing; the reconnect resubscribes with the new names.
            }
        }
    }

    private async Task RunAsync(CancellationToken stop)
    {
        using var channel = new GrpcChannel(_options.Address, _options.Channel with { TimeProvider = _options.TimeProvider });
        int attempt = 0;
        while (!stop.IsCancellationRequested)
        {
            bool served = false;
            try
            {
                await RunStreamAsync(channel, () => served = true, stop).ConfigureAwait(false);
            }
            catch (GrpcStatusException ex)
            {
                LastError = ex.Status.ToString();
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                return;
            }
#pragma warning disable CA1031 // whatever ended the stream, the client reconnects (static stability)
            catch (Exception ex)
#pragma warning restore CA1031
            {
                LastError = $"{ex.GetType().Name}: {ex.Message}";
            }
            finally
            {
                _call = null;
            }

            if (served)
            {
                attempt = 0; // the stream worked: the next failure starts the backoff over
            }

            TimeSpan delay = _backoff.Next(attempt++);
            XdsLog.ClientStreamEnded(_options.Logger, _options.Address, LastError ?? "unknown", (long)delay.TotalMilliseconds);
            try
            {
                await Task.Delay(delay, _options.TimeProvider, stop).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <summary>One stream, until it ends; <paramref name="served"/> is called when a response arrives.</summary>
    private async Task RunStreamAsync(GrpcChannel channel, Action served, CancellationToken stop)
    {
        await using var call = channel.StartDuplex(DiscoveryMethods.StreamAggregatedResources, new GrpcCallOptions { CancellationToken = stop });
        _call = call;
        Interlocked.Increment(ref _connects);
        bool first = true;
        foreach (string typeUrl in SubscribedTypesInOrder())
        {
            var request = Request(typeUrl, nonce: string.Empty, error: null);
            if (first)
            {
                request.Node = _options.Node;
                first = false;
            }

            await SendAsync(call, request).ConfigureAwait(false);
        }

        while (await call.ReadAsync(stop).ConfigureAwait(false) is { } response)
        {
            served();
            var result = await ApplyAsync(response).ConfigureAwait(false);
            if (!result.Accepted)
            {
                XdsLog.ClientRejected(_options.Logger, response.TypeUrl, response.VersionInfo, result.Reason ?? "rejected");
            }
            else
            {
                XdsLog.ClientApplied(_options.Logger, response.TypeUrl, response.VersionInfo, response.Resources.Count);
                lock (_stateLock)
                {
                    _accepted[response.TypeUrl] = response.VersionInfo;
                }
            }

            var reply = Request(response.TypeUrl, response.Nonce, result.Accepted ? null : result.Reason);
            await SendAsync(call, reply).ConfigureAwait(false);
        }

        LastError = "The server ended the stream.";
    }

    private async ValueTask<ApplyResult> ApplyAsync(DiscoveryResponse response)
    {
        try
        {
            var update = new AdsUpdate(response.TypeUrl, response.VersionInfo, response.Resources);
            if (_options.ApplyAsync is { } applyAsync) return await applyAsync(update).ConfigureAwait(false);
            return _options.Apply is { } apply ? apply(update) : ApplyResult.Reject("the client has no apply callback");
        }
#pragma warning disable CA1031 // a throwing callback is a rejection, not a crash of the client
        catch (Exception ex)
#pragma warning restore CA1031
        {
            return ApplyResult.Reject($"{ex.GetType().Name}: {ex.Message}");
        }
    }

    private DiscoveryRequest Request(string typeUrl, string nonce, string? error)
    {
        var request = new DiscoveryRequest { TypeUrl = typeUrl, ResponseNonce = nonce };
        lock (_stateLock)
        {
            request.VersionInfo = _accepted.TryGetValue(typeUrl, out string? version) ? version : string.Empty;
            if (_subscriptions.TryGetValue(typeUrl, out var names))
            {
                request.ResourceNames.AddRange(names);
            }
        }

        if (error is not null)
        {
            request.ErrorDetail = new Rpc.Status { Code = (int)GrpcStatusCode.InvalidArgument, Message = error };
        }

        return request;
    }

    private List<string> SubscribedTypesInOrder()
    {
        lock (_stateLock)
        {
            // Clusters and endpoints first, as Envoy does: listeners then arrive to clusters that exist.
            return [.. TypeUrls.ResponseOrder.Where(_subscriptions.ContainsKey), .. _subscriptions.Keys.Where(t => !TypeUrls.IsKnown(t))];
        }
    }

    private async Task SendAsync(GrpcDuplexCall<DiscoveryRequest, DiscoveryResponse> call, DiscoveryRequest request)
    {
        await _writeLock.WaitAsync().ConfigureAwait(false);
        try
        {
            await call.WriteAsync(request).ConfigureAwait(false);
        }
        finally
        {
            _writeLock.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        if (_loop is not null)
        {
            try
            {
                await _loop.ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                // stopping
            }
        }

        _stop.Dispose();
        _writeLock.Dispose();
    }
}
