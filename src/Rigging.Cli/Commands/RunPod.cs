using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using Microsoft.Extensions.Logging;
using Rigging.Proxy;

namespace Rigging.Cli.Commands;

/// <summary>
/// The lifecycle of `rig run`, in Kubernetes' order:
/// 1. hold the application until the proxy is ready (or the bounded wait ends);
/// 2. start it with HTTP_PROXY/http_proxy at the outbound listener and NO_PROXY for loopback;
/// 3. wait (bounded) until the application's port accepts connections, and log it;
/// 4. when the application exits, drain the proxy and return its code; when the proxy is told to stop
///    (signal or /quitquitquit), pass SIGTERM to the application while the proxy drains, wait for it (killing
///    it after a grace period), and return its code.
/// </summary>
internal sealed class RunPod(ProxyHost host, ProxyOptions options, ILogger logger, bool inlineSocketIoSetHere)
{
    private static readonly TimeSpan AppPortWait = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan AppStopGrace = TimeSpan.FromSeconds(10);

    public async Task<int> RunAsync(string[] command, TimeSpan readyTimeout, Task<PosixSignal> signal)
    {
        var clock = Stopwatch.StartNew();
        while (!(host.State.Ready && !host.State.AwaitingCertificate) && clock.Elapsed < readyTimeout && !signal.IsCompleted && !host.QuitRequested.IsCompleted)
        {
            await Task.Delay(50).ConfigureAwait(false);
        }
        if (signal.IsCompleted || host.QuitRequested.IsCompleted)
        {
            await host.StopAsync().ConfigureAwait(false);
            return 143;
        }
        var display = string.Join(' ', command);
        if (host.State.Ready && !host.State.AwaitingCertificate) ProxyCommandLog.StartingApp(logger, clock.ElapsedMilliseconds, display);
        else ProxyCommandLog.StartingAppUnready(logger, clock.ElapsedMilliseconds, display);

        using var app = Start(command);
        using var stopWatching = new CancellationTokenSource();
        var watch = WatchAppPortAsync(options.AppPort!.Value, stopWatching.Token);
        var exited = app.WaitForExitAsync();
        var first = await Task.WhenAny(exited, signal, host.QuitRequested).ConfigureAwait(false);
        await stopWatching.CancelAsync().ConfigureAwait(false);
        await watch.ConfigureAwait(false);
        if (first != exited)
        {
            ProxyCommandLog.Stopping(logger, first == signal ? (await signal.ConfigureAwait(false)).ToString() : "/quitquitquit");
            await SignalAsync(app.Id, "TERM").ConfigureAwait(false);
            var drain = host.StopAsync();
            if (await Task.WhenAny(exited, Task.Delay(options.DrainDuration + AppStopGrace)).ConfigureAwait(false) != exited)
            {
                app.Kill(entireProcessTree: true);
                await app.WaitForExitAsync().ConfigureAwait(false);
            }
            await drain.ConfigureAwait(false);
        }
        else
        {
            ProxyCommandLog.AppExited(logger, app.ExitCode);
            await host.StopAsync().ConfigureAwait(false);
        }
        ProxyCommandLog.Stopped(logger);
        return app.ExitCode;
    }

    private Process Start(string[] command)
    {
        var start = new ProcessStartInfo(command[0]) { UseShellExecute = false };
        for (var i = 1; i < command.Length; i++) start.ArgumentList.Add(command[i]);
        var proxy = $"http://127.0.0.1:{options.OutboundPort}";
        start.Environment["HTTP_PROXY"] = proxy;
        start.Environment["http_proxy"] = proxy;
        start.Environment["NO_PROXY"] = "localhost,127.0.0.1";
        start.Environment["no_proxy"] = "localhost,127.0.0.1";
        start.Environment["RIGGING_WORKLOAD"] = options.Workload;
        start.Environment["RIGGING_NAMESPACE"] = options.Namespace;
        // The proxy's threading switch is the proxy's own; the application keeps the runtime's default.
        if (inlineSocketIoSetHere) start.Environment.Remove(Rigging.Proxy.Listeners.InlineSocketIo.Variable);
        start.Environment["RIGGING_APP_PORT"] = options.AppPort?.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return Process.Start(start) ?? throw new InvalidOperationException($"could not start {command[0]}");
    }

    /// <summary>Polls (bounded) until the application's port accepts a connection; the proxy forwards there.</summary>
    private async Task WatchAppPortAsync(int port, CancellationToken stop)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < AppPortWait && !stop.IsCancellationRequested)
        {
            using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            try
            {
                using var attempt = CancellationTokenSource.CreateLinkedTokenSource(stop);
                attempt.CancelAfter(TimeSpan.FromSeconds(1));
                await socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, port), attempt.Token).ConfigureAwait(false);
                ProxyCommandLog.AppListening(logger, port);
                return;
            }
            catch (Exception e) when (e is SocketException or OperationCanceledException)
            {
                // Not listening yet.
            }
            try
            {
                await Task.Delay(100, stop).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
        if (!stop.IsCancellationRequested) ProxyCommandLog.AppNotListening(logger, port, clock.ElapsedMilliseconds);
    }

    /// <summary>Sends a signal with kill(1): the BCL can kill a process but not ask it to stop.</summary>
    private static async Task SignalAsync(int pid, string signal)
    {
        try
        {
            using var kill = Process.Start(new ProcessStartInfo("kill", [$"-{signal}", pid.ToString(System.Globalization.CultureInfo.InvariantCulture)]) { UseShellExecute = false });
            if (kill is not null) await kill.WaitForExitAsync().ConfigureAwait(false);
        }
        catch (System.ComponentModel.Win32Exception)
        {
            // No kill(1): the grace period ends with Kill().
        }
    }
}
