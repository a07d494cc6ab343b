using Rigging.Api.Model;

namespace Rigging.Api.Networking;

/// <summary>One listening port of a Gateway and the hosts it serves.</summary>
public sealed record Server
{
    public Port? Port { get; init; }

    public string? Bind { get; init; }

    public IReadOnlyList<string>? Hosts { get; init; }

    public ServerTlsSettings? Tls { get; init; }

    public string? DefaultEndpoint { get; init; }

    public string? Name { get; init; }
}
