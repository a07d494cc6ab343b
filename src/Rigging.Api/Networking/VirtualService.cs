namespace Rigging.Api.Networking;

/// <summary>Spec of a VirtualService: how requests for some hosts are matched and routed.</summary>
public sealed record VirtualService
{
    public IReadOnlyList<string>? Hosts { get; init; }

    public IReadOnlyList<string>? Gateways { get; init; }

    public IReadOnlyList<HttpRoute>? Http { get; init; }

    public IReadOnlyList<TlsRoute>? Tls { get; init; }

    public IReadOnlyList<TcpRoute>? Tcp { get; init; }

    public IReadOnlyList<string>? ExportTo { get; init; }
}
