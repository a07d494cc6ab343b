using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Rigging.Xds.Cache;
using Rigging.Xds.Server;

namespace Rigging.Proxy.Bench;

/// <summary>
/// The load-independent figure: bytes allocated per request by one in-process proxy hop (client and backend
/// are a raw socket and nginx, which allocate nothing here), plus this process's CPU time per request (proxy
/// and client together, so only a rough, load-sensitive hint). Usage: --alloc [--requests N] [--types] (--types first samples allocations by type).
/// </summary>
internal static class AllocProbe
{
    public static async Task<int> RunAsync(int requests, int backendPort, bool types)
    {
        var cache = new SnapshotCache();
        await using var server = await new AdsServer(cache).StartAsync();
        var port = Ports.Free();
        var node = "sidecar~127.0.0.1~probe.bench~bench.svc.cluster.local";
        cache.SetSnapshot(node, Snapshot.Create(RigProxies.Resources("probe", port, backendPort)));
        await using var proxy = await ProxyHost.StartAsync(new ProxyOptions
        {
            Xds = new Uri($"http://127.0.0.1:{server.Port}"),
            NodeId = node,
            Workload = "probe",
            Namespace = "bench",
            AdminPort = 0,
            DrainDuration = TimeSpan.Zero,
        });
        using var socket = await ConnectWhenReadyAsync(port);
        var request = Encoding.ASCII.GetBytes($"GET /index HTTP/1.1\r\nHost: probe.bench:{port}\r\nUser-Agent: probe\r\nAccept: */*\r\n\r\n");
        var buffer = new byte[64 * 1024];
        for (var i = 0; i < 20_000; i++) await RoundTripAsync(socket, request, buffer);
        // Tiered compilation settles (tier-1 and PGO rewrites allocate while they run) before measuring.
        await Task.Delay(1500);
        for (var i = 0; i < 5_000; i++) await RoundTripAsync(socket, request, buffer);
        if (types)
        {
            // A separate run: the listener itself costs, so it never runs while the figures below are measured.
            using var sampler = new AllocationSampler();
            sampler.Start();
            for (var i = 0; i < requests; i++) await RoundTripAsync(socket, request, buffer);
            foreach (var (type, samples) in sampler.Stop()) Console.WriteLine($"{samples,6}  {type}");
        }

        var gcBefore = GC.CollectionCount(0);
        var allocated = GC.GetTotalAllocatedBytes(precise: true);
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < requests; i++) await RoundTripAsync(socket, request, buffer);
        clock.Stop();
        var cpuUsed = Process.GetCurrentProcess().TotalProcessorTime - cpu;
        var perRequest = (GC.GetTotalAllocatedBytes(precise: true) - allocated) / (double)requests;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"one hop, {requests} requests on one connection: {perRequest:F0} B allocated/request, {cpuUsed.TotalMilliseconds * 1000 / requests:F1} µs CPU/request (probe+proxy), {clock.Elapsed.TotalMilliseconds * 1000 / requests:F1} µs wall/request, gen0 GCs {GC.CollectionCount(0) - gcBefore}"));
        return 0;
    }

    private static async Task<Socket> ConnectWhenReadyAsync(int port)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < TimeSpan.FromSeconds(30))
        {
            var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                await socket.ConnectAsync(IPAddress.Loopback, port);
                return socket;
            }
            catch (SocketException)
            {
                socket.Dispose();
                await Task.Delay(100);
            }
        }
        throw new TimeoutException("the probe proxy did not listen");
    }

    /// <summary>Sends one request and reads one response (headers, then Content-Length bytes), allocating nothing.</summary>
    private static async ValueTask RoundTripAsync(Socket socket, byte[] request, byte[] buffer)
    {
        await socket.SendAsync(request.AsMemory(), SocketFlags.None);
        var have = 0;
        var headerEnd = -1;
        var total = -1;
        for (var reads = 0; reads < 1000; reads++)
        {
            var n = await socket.ReceiveAsync(buffer.AsMemory(have), SocketFlags.None);
            if (n == 0) throw new IOException("the proxy closed the connection");
            have += n;
            if (headerEnd < 0)
            {
                headerEnd = buffer.AsSpan(0, have).IndexOf("\r\n\r\n"u8);
                if (headerEnd < 0) continue;
                total = headerEnd + 4 + ContentLength(buffer.AsSpan(0, headerEnd));
                if (!buffer.AsSpan(9, 3).SequenceEqual("200"u8)) throw new InvalidOperationException(Encoding.ASCII.GetString(buffer, 0, headerEnd));
            }
            if (have >= total) return;
        }
        throw new IOException("no whole response");
    }

    private static int ContentLength(ReadOnlySpan<byte> headers)
    {
        var at = headers.IndexOf("\r\nContent-Length: "u8);
        if (at < 0) at = headers.IndexOf("\r\ncontent-length: "u8);
        if (at < 0) throw new InvalidOperationException("no content-length");
        var rest = headers[(at + 18)..];
        var value = 0;
        for (var i = 0; i < rest.Length && rest[i] is >= (byte)'0' and <= (byte)'9'; i++) value = value * 10 + rest[i] - '0';
        return value;
    }
}
