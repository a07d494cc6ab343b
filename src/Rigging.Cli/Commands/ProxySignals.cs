using System.Runtime.InteropServices;

namespace Rigging.Cli.Commands;

/// <summary>
/// SIGTERM and SIGINT as a task: the default action (exit at once) is cancelled so the caller can drain first.
/// A second signal while draining is left to the default action: an impatient operator still gets out.
/// </summary>
internal sealed class ProxySignals : IDisposable
{
    private readonly TaskCompletionSource<PosixSignal> _received = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly PosixSignalRegistration _term;
    private readonly PosixSignalRegistration _interrupt;

    public ProxySignals()
    {
        _term = PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal);
        _interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal);
    }

    public Task<PosixSignal> Received => _received.Task;

    private void OnSignal(PosixSignalContext context)
    {
        if (_received.TrySetResult(context.Signal)) context.Cancel = true;
    }

    public void Dispose()
    {
        _term.Dispose();
        _interrupt.Dispose();
    }
}
