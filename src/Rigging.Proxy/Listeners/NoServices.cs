namespace Rigging.Proxy.Listeners;

/// <summary>
/// The service provider of a listener's Kestrel: it has none to offer (Kestrel asks only for optional ones, such as
/// a default certificate, which a proxy listener never uses: its TLS is its filter chains').
/// </summary>
internal sealed class NoServices : IServiceProvider
{
    public static NoServices Instance { get; } = new();

    public object? GetService(Type serviceType) => null;
}
