using System.IO.Pipelines;
using System.Net.Sockets;
using Microsoft.AspNetCore.Connections;
using Rigging.Proxy.Clusters;
using Rigging.Proxy.Clusters.LoadBalancing;
using Rigging.Proxy.Config;
using Rigging.Proxy.Listeners;
using Rigging.Proxy.Routing;
using Rigging.Proxy.Telemetry;

namespace Rigging.Proxy.Tcp;

/// <summary>
/// Envoy's tcp_proxy: connect to an endpoint of the chosen cluster and copy bytes both ways until either side
/// closes or the connection has been idle for the configured time.
/// </summary>
public sealed class TcpProxyHandler(ProxyState state, ProxyStats stats, Random random, TimeProvider time)
{
    public async Task HandleAsync(ConnectionContext connection, TcpProxyModel model)
    {
        if (!NetworkRbacFilter.AllowsConnection(model.Rbac, connection, stats, model.StatPrefix))
        {
            // Envoy's network RBAC closes a refused connection without a word.
            connection.Abort();
            return;
        }
        var snapshot = state.Current;
        var clusterName = PickCluster(model.Clusters);
        if (clusterName is null || !snapshot.Clusters.TryGetValue(clusterName, out var cluster))
        {
            stats.Increment(model.StatPrefix, "no_cluster");
            connection.Abort();
            return;
        }
        await TunnelAsync(connection, cluster, model.StatPrefix, model.IdleTimeout, default, default).ConfigureAwait(false);
    }

    /// <summary>A weighted pick among a choice of clusters (seeded: tests are deterministic).</summary>
    public string? PickCluster(WeightedClusterChoice choice)
    {
        lock (random) return choice.Pick(random.NextDouble());
    }

    /// <summary>
    /// Connects to an endpoint of <paramref name="cluster"/> and copies bytes both ways. <paramref name="connected"/>
    /// is written downstream once the upstream connection is up (a CONNECT's 200), <paramref name="failed"/> when it
    /// cannot be made (a CONNECT's 503); with neither, a failure just closes the connection. An ORIGINAL_DST cluster
    /// connects to <paramref name="originalDestination"/> (a CONNECT's target); a plain TCP listener has none here.
    /// </summary>
    public async Task TunnelAsync(ConnectionContext connection, ClusterState cluster, string statPrefix, TimeSpan idleTimeout,
        ReadOnlyMemory<byte> connected, ReadOnlyMemory<byte> failed, string? originalDestination = null)
    {
        var local = connection.LocalEndPoint as System.Net.IPEndPoint;
        var endpoint = cluster.OriginalDestinations is { } original
            ? original.Find(originalDestination, 0, local?.Address, local?.Port ?? 0, out _)
            : cluster.Pick(new LoadBalancerContext(null, null));
        if (endpoint is null)
        {
            stats.Increment(statPrefix, "upstream_cx_none_healthy");
            await FailAsync(connection, failed).ConfigureAwait(false);
            return;
        }

        using var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        using (var connect = CancellationTokenSource.CreateLinkedTokenSource(connection.ConnectionClosed))
        {
            connect.CancelAfter(cluster.Model.ConnectTimeout);
            try
            {
                await socket.ConnectAsync(endpoint.Config.Host, endpoint.Config.Port, connect.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is SocketException or OperationCanceledException)
            {
                stats.Increment(statPrefix, "upstream_cx_connect_fail");
                await FailAsync(connection, failed).ConfigureAwait(false);
                return;
            }
        }
        // The endpoint's transport socket (auto mTLS: TLS to endpoints with a sidecar, plaintext to the rest).
        Stream upstream;
        try
        {
            upstream = await cluster.SecureAsync(new NetworkStream(socket, ownsSocket: false), endpoint.Config, connection.ConnectionClosed).ConfigureAwait(false);
        }
        catch (Exception e) when (e is System.Security.Authentication.AuthenticationException or IOException or OperationCanceledException or SocketException)
        {
            stats.Increment(statPrefix, "upstream_cx_connect_fail");
            await FailAsync(connection, failed).ConfigureAwait(false);
            return;
        }
        stats.Increment(statPrefix, "downstream_cx_total");
        if (!connected.IsEmpty) await connection.Transport.Output.WriteAsync(connected).ConfigureAwait(false);
        endpoint.RequestStarted();
        try
        {
            await using var owned = upstream;
            using var idle = new IdleTimer(idleTimeout, time);
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(connection.ConnectionClosed, idle.Token);
            var toUpstream = CopyAsync(connection.Transport.Input, upstream, idle, stop.Token, () => HalfCloseAsync(upstream, socket));
            var toDownstream = CopyAsync(PipeReader.Create(upstream), connection.Transport.Output.AsStream(), idle, stop.Token, () => connection.Transport.Output.CompleteAsync());
            await Task.WhenAny(toUpstream, toDownstream).ConfigureAwait(false);
            // One direction finished: give the other a moment to drain its half-close, then end both.
            await Task.WhenAny(Task.WhenAll(toUpstream, toDownstream), Task.Delay(TimeSpan.FromSeconds(5), time), Task.Delay(Timeout.Infinite, stop.Token)).ConfigureAwait(false);
            if (idle.Token.IsCancellationRequested) stats.Increment(statPrefix, "idle_timeout");
            await stop.CancelAsync().ConfigureAwait(false);
        }
        finally
        {
            endpoint.RequestFinished();
        }
    }

    private static async Task FailAsync(ConnectionContext connection, ReadOnlyMemory<byte> failed)
    {
        if (!failed.IsEmpty)
        {
            try
            {
                await connection.Transport.Output.WriteAsync(failed).ConfigureAwait(false);
                await connection.Transport.Output.CompleteAsync().ConfigureAwait(false);
            }
            catch (Exception e) when (e is IOException or InvalidOperationException or ConnectionResetException)
            {
                // The client left first.
            }
            return;
        }
        connection.Abort();
    }

    /// <summary>The client finished sending: TLS says so with close_notify first, then the socket's write side closes.</summary>
    private static async ValueTask HalfCloseAsync(Stream upstream, Socket socket)
    {
        if (upstream is System.Net.Security.SslStream tls) await tls.ShutdownAsync().ConfigureAwait(false);
        socket.Shutdown(SocketShutdown.Send);
    }

    private static async Task CopyAsync(PipeReader from, Stream to, IdleTimer idle, CancellationToken cancellation, Func<ValueTask> halfClose)
    {
        try
        {
            while (true)
            {
                var result = await from.ReadAsync(cancellation).ConfigureAwait(false);
                foreach (var segment in result.Buffer) await to.WriteAsync(segment, cancellation).ConfigureAwait(false);
                from.AdvanceTo(result.Buffer.End);
                idle.Touch();
                if (result.IsCompleted || result.IsCanceled) break;
            }
            await to.FlushAsync(cancellation).ConfigureAwait(false);
            await halfClose().ConfigureAwait(false);
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or SocketException or ObjectDisposedException or ConnectionResetException)
        {
            // Either side went away or the idle timer fired; the caller closes both.
        }
    }

    /// <summary>Cancels its token when no byte has moved for the idle timeout.</summary>
    private sealed class IdleTimer : IDisposable
    {
        private readonly CancellationTokenSource _cts = new();
        private readonly ITimer _timer;
        private readonly TimeSpan _timeout;
        private readonly TimeProvider _time;
        private long _last;

        public IdleTimer(TimeSpan timeout, TimeProvider time)
        {
            _timeout = timeout;
            _time = time;
            _last = time.GetTimestamp();
            var period = timeout < TimeSpan.FromSeconds(1) ? timeout : TimeSpan.FromSeconds(1);
            _timer = time.CreateTimer(_ => Check(), null, period, period);
        }

        public CancellationToken Token => _cts.Token;

        public void Touch() => Volatile.Write(ref _last, _time.GetTimestamp());

        private void Check()
        {
            if (_time.GetElapsedTime(Volatile.Read(ref _last)) >= _timeout) _cts.Cancel();
        }

        public void Dispose()
        {
            _timer.Dispose();
            _cts.Dispose();
        }
    }
}
