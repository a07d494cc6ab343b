using System.Runtime.InteropServices;

namespace Rigging.Cli.Demo;

/// <summary>
/// Ctrl-C (SIGINT) and SIGTERM as a cancellation: the first one is taken over so the demo can stop its children
/// and print its summary; a second one gets the default action (exit at once), and the supervisor's
/// process-exit hook still kills the children.
/// </summary>
internal sealed class DemoSignals : IDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly PosixSignalRegistration _interrupt;
    private readonly PosixSignalRegistration _terminate;
    private int _received;

    public DemoSignals()
    {
        _interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal);
        _terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal);
    }

    public CancellationToken Token => _stop.Token;

    private void OnSignal(PosixSignalContext context)
    {
        if (Interlocked.Exchange(ref _received, 1) != 0) return;
        context.Cancel = true;
        _stop.Cancel();
    }

    public void Dispose()
    {
        _interrupt.Dispose();
        _terminate.Dispose();
        _stop.Dispose();
    }
}
