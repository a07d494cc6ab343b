namespace Rigging.Api.Security;

/// <summary>Properties of the request itself; positive and negated lists.</summary>
public sealed record Operation
{
    public IReadOnlyList<string>? Hosts { get; init; }

    public IReadOnlyList<string>? NotHosts { get; init; }

    public IReadOnlyList<string>? Ports { get; init; }

    public IReadOnlyList<string>? NotPorts { get; init; }

    public IReadOnlyList<string>? Methods { get; init; }

    public IReadOnlyList<string>? NotMethods { get; init; }

    public IReadOnlyList<string>? Paths { get; init; }

    public IReadOnlyList<string>? NotPaths { get; init; }
}
