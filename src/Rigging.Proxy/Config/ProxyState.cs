namespace Rigging.Proxy.Config;

/// <summary>The long-lived holder of the current <see cref="ProxySnapshot"/>: one volatile reference, swapped whole.</summary>
public sealed class ProxyState
{
    private volatile ProxySnapshot _current = ProxySnapshot.Empty;

    public ProxySnapshot Current => _current;

    /// <summary>True once a first complete configuration (listeners included) has been applied.</summary>
    public bool Ready { get; internal set; }

    internal void Swap(ProxySnapshot next) => _current = next;
}
