namespace Rigging.Proxy.Listeners;

/// <summary>
/// The proxy's threading model, close to Envoy's event loops: socket completions, and the request work they
/// continue, run on the socket engine's threads (one per core) instead of hopping to the thread pool. At a
/// sidecar's load most of the CPU otherwise goes to waking pool threads (bench/: 0.25 → 0.15 CPU s per 1000
/// requests per proxy). It needs a request path that never blocks a thread, which the proxy's is; config
/// compiles hop off these threads (<see cref="Config.ConfigApplier"/>).
/// .NET reads the switch from the environment once, at the first socket, so `rig proxy` and `rig run` set it
/// before they start; a value set by the user (0 turns it off) is left alone.
/// </summary>
public static class InlineSocketIo
{
    public const string Variable = "DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS";

    /// <summary>Whether this process runs socket completions inline (Kestrel then schedules inline too).</summary>
    public static bool Enabled => Environment.GetEnvironmentVariable(Variable) == "1";

    /// <summary>Turns the switch on for this process unless the user chose; true when this call set it.</summary>
    public static bool EnableForProcess()
    {
        if (Environment.GetEnvironmentVariable(Variable) is not null) return false;
        Environment.SetEnvironmentVariable(Variable, "1");
        return true;
    }
}
