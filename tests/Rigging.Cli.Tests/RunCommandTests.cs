using FluentAssertions;

namespace Rigging.Cli.Tests;

/// <summary>`rig run`: the proxy and the application started together like a pod.</summary>
public sealed class RunCommandTests
{
    [Fact]
    public async Task App_starts_after_the_proxy_is_ready_reaches_the_mesh_through_HTTP_PROXY_and_its_exit_code_is_returned()
    {
        await using var xds = await ProxyXds.StartAsync();
        var outbound = ProxyProcess.FreePort();
        const string node = "sidecar~127.0.0.1~shop.default~default.svc.cluster.local";
        xds.Program(node, outbound);
        // urllib honours HTTP_PROXY: the request goes to the outbound listener in absolute form, which routes it.
        const string app = """
            import os, sys, urllib.request
            print("proxy=" + os.environ["HTTP_PROXY"] + " lower=" + os.environ["http_proxy"] + " no_proxy=" + os.environ["NO_PROXY"])
            print("inline=" + os.environ.get("DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS", "unset"))
            print("answer=" + urllib.request.urlopen("http://reviews.default.svc.cluster.local:9080/books", timeout=10).read().decode())
            sys.exit(7)
            """;
        await using var run = ProxyProcess.Start(
            "run", "--workload", "shop", "--app-port", ProxyProcess.FreePort().ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--outbound-port", outbound.ToString(System.Globalization.CultureInfo.InvariantCulture), "--xds", xds.Address,
            "--admin-port", "0", "--drain-duration", "0.2", "--", "python3", "-c", app);

        var exit = await run.WaitForExitAsync(TimeSpan.FromSeconds(40));

        exit.Should().Be(7, run.Stderr);
        run.Stdout.Should().Contain($"proxy=http://127.0.0.1:{outbound} lower=http://127.0.0.1:{outbound} no_proxy=localhost,127.0.0.1");
        run.Stdout.Should().Contain("answer=backend /books");
        // The proxy's threading switch (InlineSocketIo) is not passed on to the application.
        run.Stdout.Should().Contain("inline=unset");
        run.Stderr.Should().Contain("proxy ready after").And.Contain("application exited with code 7");
    }

    [Fact]
    public async Task SIGTERM_stops_both_the_app_and_the_proxy_and_returns_the_apps_exit_code()
    {
        await using var xds = await ProxyXds.StartAsync();
        var outbound = ProxyProcess.FreePort();
        xds.Program("sidecar~127.0.0.1~worker.default~default.svc.cluster.local", outbound);
        var appPort = ProxyProcess.FreePort();
        // The app listens on its port (the proxy waits for it) and exits 3 on SIGTERM.
        var app = $$"""
            import signal, socket, sys, time
            signal.signal(signal.SIGTERM, lambda *_: sys.exit(3))
            s = socket.socket(); s.bind(("127.0.0.1", {{appPort}})); s.listen()
            print("listening", flush=True)
            for _ in range(600): time.sleep(0.1)
            """;
        await using var run = ProxyProcess.Start(
            "run", "--workload", "worker", "--app-port", appPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--outbound-port", outbound.ToString(System.Globalization.CultureInfo.InvariantCulture), "--xds", xds.Address,
            "--admin-port", "0", "--drain-duration", "0.2", "--", "python3", "-c", app);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (!run.Stderr.Contains("application accepts connections", StringComparison.Ordinal) && clock.Elapsed < TimeSpan.FromSeconds(30) && !run.HasExited)
        {
            await Task.Delay(100);
        }
        run.Stderr.Should().Contain($"application accepts connections on port {appPort}");

        await run.SignalAsync("TERM");

        (await run.WaitForExitAsync(TimeSpan.FromSeconds(20))).Should().Be(3, run.Stderr);
        run.Stderr.Should().Contain("stopping (SIGTERM)").And.Contain("draining");
    }
}
