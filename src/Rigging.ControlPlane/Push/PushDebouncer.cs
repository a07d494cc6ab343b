namespace Rigging.ControlPlane.Push;

/// <summary>
/// Coalesces push requests (Istio's debounce, with a leading edge):
/// 1. a request that comes after a quiet period (no request for <c>quiet</c>) is pushed at once, so a single
///    change does not wait for the quiet period to pass;
/// 2. requests that follow it closer than that wait, merged: their push starts once no request came for the
///    quiet period, or once the first of them is <c>maxDelay</c> old, whichever is first. A flood therefore
///    gives one push at its start and then at most one per max delay.
/// One push runs at a time; requests that arrive during a push wait for the next one.
/// </summary>
public sealed class PushDebouncer : IAsyncDisposable
{
    private readonly Lock _lock = new();
    private readonly SemaphoreSlim _signal = new(0);
    private readonly CancellationTokenSource _stop = new();
    private readonly TimeProvider _time;
    private readonly TimeSpan _quiet;
    private readonly TimeSpan _maxDelay;
    private readonly bool _leadingEdge;
    private readonly Func<PushRequest, CancellationToken, Task> _push;
    private readonly Task _loop;
    private PushRequest? _pending;
    private bool _pendingLeads;
    private long _lastEnqueue;
    private bool _enqueued;

    /// <param name="leadingEdge">False: every request waits for the quiet period (the trailing edge only).</param>
    public PushDebouncer(TimeSpan quiet, TimeSpan maxDelay, Func<PushRequest, CancellationToken, Task> push, TimeProvider? time = null, bool leadingEdge = true)
    {
        _quiet = quiet;
        _maxDelay = maxDelay;
        _push = push;
        _leadingEdge = leadingEdge;
        _time = time ?? TimeProvider.System;
        _loop = Task.Run(() => RunAsync(_stop.Token));
    }

    public void Enqueue(PushRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        lock (_lock)
        {
            var now = _time.GetTimestamp();
            var afterQuiet = !_enqueued || _time.GetElapsedTime(_lastEnqueue, now) >= _quiet;
            _lastEnqueue = now;
            _enqueued = true;
            if (_pending is null)
            {
                _pending = request;
                _pendingLeads = _leadingEdge && afterQuiet;
                _signal.Release();
            }
            else
            {
                _pending = _pending.Merge(request);
            }
        }
    }

    private async Task RunAsync(CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            try
            {
                await _signal.WaitAsync(stop).ConfigureAwait(false);
                var first = _time.GetTimestamp();
                bool leads;
                lock (_lock)
                {
                    leads = _pendingLeads;
                }
                while (!leads)
                {
                    long last;
                    lock (_lock)
                    {
                        last = _lastEnqueue;
                    }
                    var untilQuiet = _quiet - _time.GetElapsedTime(last);
                    var untilMax = _maxDelay - _time.GetElapsedTime(first);
                    var wait = untilQuiet < untilMax ? untilQuiet : untilMax;
                    if (wait <= TimeSpan.Zero) break;
                    await Task.Delay(wait, _time, stop).ConfigureAwait(false);
                }

                PushRequest request;
                lock (_lock)
                {
                    request = _pending!;
                    _pending = null;
                }
                await _push(request, stop).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                return;
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        await _loop.ConfigureAwait(false);
        _stop.Dispose();
        _signal.Dispose();
    }
}
