using System.Diagnostics;
using System.Net;
using FluentAssertions;
using Microsoft.AspNetCore.Http;
using Rigging.Proxy.Tests.Admin;
using Rigging.Proxy.Tests.Infrastructure;

namespace Rigging.Proxy.Tests.Host;

/// <summary>Shutdown as Istio's agent does it: DRAINING, no new connections, in-flight requests finish, then the drain wait.</summary>
public sealed class GracefulStopTests
{
    [Fact]
    public async Task Stop_lets_the_request_in_flight_finish_refuses_new_connections_and_waits_the_drain_duration()
    {
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var backend = await TestBackend.StartAsync("slow", async context =>
        {
            await release.Task;
            await context.Response.WriteAsync("done");
        });
        // Long enough for the checks below on a loaded machine (the request in flight must not be cut), short enough
        // for a test: the stop waits all of it.
        var drain = TimeSpan.FromSeconds(2);
        await using var mesh = await ProxyFixture.StartAsync(drainDuration: drain);
        var port = FreePort.Get();
        await mesh.ApplyAsync(AdminEndpointTests.Mesh(backend.Port, port));
        using var client = new HttpClient(new SocketsHttpHandler { UseProxy = false });
        var inFlight = client.GetStringAsync($"http://127.0.0.1:{port}/api");
        await WaitForAsync(() => backend.Requests == 1);

        var clock = Stopwatch.StartNew();
        var stop = mesh.Proxy.StopAsync();
        using var admin = new HttpClient();
        var ready = await admin.GetAsync($"http://127.0.0.1:{mesh.Proxy.Admin!.Port}/ready");
        ready.StatusCode.Should().Be(HttpStatusCode.ServiceUnavailable);
        (await ready.Content.ReadAsStringAsync()).Should().Be("DRAINING\n");
        await WaitForAsync(() => !CanConnect(port));
        release.SetResult();

        (await inFlight).Should().Be("done");
        await stop.WaitAsync(TimeSpan.FromSeconds(10));
        clock.Elapsed.Should().BeGreaterThanOrEqualTo(drain - TimeSpan.FromMilliseconds(10));
    }

    private static bool CanConnect(int port)
    {
        using var socket = new System.Net.Sockets.Socket(System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Tcp);
        try
        {
            socket.Connect(IPAddress.Loopback, port);
            return true;
        }
        catch (System.Net.Sockets.SocketException)
        {
            return false;
        }
    }

    private static async Task WaitForAsync(Func<bool> condition)
    {
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            if (clock.Elapsed > TimeSpan.FromSeconds(10)) throw new TimeoutException("condition not met in time");
            await Task.Delay(20);
        }
    }
}
